#!/usr/bin/env bash
# Validates an imprint CASE/UCO export with case_validate (PyPI case-utils, installed by
# scripts/setup.sh into /opt/imprint/report-tools or $IMPRINT_REPORT_TOOLS) against the
# CASE ontology it ships (1.5.0 by default). Exits 0 when the graph conforms.
#
#   scripts/validate-case.sh case-uco.jsonld
set -euo pipefail
file="${1:?usage: scripts/validate-case.sh case-uco.jsonld}"
tools="${IMPRINT_REPORT_TOOLS:-/opt/imprint/report-tools}"
validator="$tools/bin/case_validate"
if [ ! -x "$validator" ]; then
  validator=$(command -v case_validate || true)
fi
[ -n "$validator" ] || { echo "validate-case: case_validate not found (scripts/setup.sh installs it)" >&2; exit 3; }
exec "$validator" --built-version case-1.5.0 "$file"

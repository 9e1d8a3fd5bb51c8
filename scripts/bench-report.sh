#!/usr/bin/env bash
# Times `imprint report` on a case made from every folder of ../shared/corpus (each folder
# one exhibit, then clustered): the HTML and data exports without PDF, the PDF alone, and
# case_validate on the CASE/UCO export. Prints the case size and the seconds of each step.
#
#   scripts/bench-report.sh [IMPRINT_BINARY]   (default .build/release/imprint)
set -euo pipefail
cd "$(dirname "$0")/.."
imprint="$(realpath "${1:-.build/release/imprint}")"
corpus="$(realpath ../shared/corpus)"
[ -x "$imprint" ] || { echo "bench-report: build imprint first (swift build -c release)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); awk "BEGIN { printf \"%.1f\", $end - $start }"; }

"$imprint" case create bench.imprint --case-number BENCH-1 --examiner "Bench" >/dev/null
for folder in "$corpus"/*/; do
  name=$(basename "$folder")
  "$imprint" ingest bench.imprint "$folder" --exhibit "EX-$name" -q >/dev/null
done
"$imprint" cluster bench.imprint >/dev/null
entries=$("$imprint" report bench.imprint --format json --out "$work/count" -q | tail -1 | sed -E 's/.*: ([0-9]+) entries, ([0-9]+) findings.*/\1 entries, \2 findings/')
echo "case: $entries (../shared/corpus, $(ls -d "$corpus"/*/ | wc -l) exhibits)"
echo "html,json,csv,case: $(seconds "$imprint" report bench.imprint --format html,json,csv,case --out "$work/a" -q) s (includes the verification with evidence re-hash)"
echo "html only, --skip-evidence: $(seconds "$imprint" report bench.imprint --format html --skip-evidence --out "$work/b" -q) s"
if "$imprint" report bench.imprint --format pdf --skip-evidence --out "$work/c" -q >/dev/null 2>&1; then
  echo "pdf, --skip-evidence: $(seconds "$imprint" report bench.imprint --format pdf --skip-evidence --out "$work/c" -q) s ($(pdfinfo "$work/c/report.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }') pages)"
else
  echo "pdf: skipped (WeasyPrint not found)"
fi
validator="${IMPRINT_REPORT_TOOLS:-/opt/imprint/report-tools}/bin/case_validate"
if [ -x "$validator" ]; then
  echo "case_validate: $(seconds "$validator" --built-version case-1.5.0 "$work/a/case-uco.jsonld") s"
fi
ls -l "$work/a" | awk 'NR > 1 { print "  " $5 " bytes  " $9 }'

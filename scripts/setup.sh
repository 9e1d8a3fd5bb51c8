#!/usr/bin/env bash
# imprint set-up for a fresh Debian 12 workstation: installs the Debian packages imprint
# builds against (and the reference tools its cross-check scripts compare with), then
# builds the release binary. Idempotent: packages already present are not reinstalled.
#
#   scripts/setup.sh              install what is missing (needs root), build release
#   scripts/setup.sh --deps-only  install what is missing, do not build
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  pkg-config
  libjpeg-dev          # libjpeg-turbo: JPEG decoding
  libpng-dev           # PNG decoding
  libexif-dev          # EXIF parsing
  libsqlite3-dev       # the case database (through GRDB)
  zlib1g-dev           # zTXt/iTXt/iCCP decompression in PNG
  libimage-exiftool-perl  # exiftool, for scripts/crosscheck-*
  libjpeg-turbo-progs     # djpeg, the decode floor for benchmarks
  # Reports (docs/reports.md): WeasyPrint's libraries and fonts, its venv, PDF and browser checks.
  python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
  poppler-utils           # pdftotext, pdftoppm: the report tests read and render the PDF
  chromium                # scripts/check-report.sh renders the HTML report headless
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# WeasyPrint (renders report.pdf) and case-utils (case_validate, checks the CASE/UCO export)
# from PyPI, in a venv that imprint looks for by default; IMPRINT_REPORT_TOOLS moves it.
report_tools="${IMPRINT_REPORT_TOOLS:-/opt/imprint/report-tools}"
if [ ! -x "$report_tools/bin/weasyprint" ] || [ ! -x "$report_tools/bin/case_validate" ]; then
  if [ "$(id -u)" != 0 ] && ! mkdir -p "$report_tools" 2>/dev/null; then
    echo "setup: cannot create $report_tools without root; report PDF and CASE validation tests will skip" >&2
  else
    echo "setup: installing weasyprint and case-utils into $report_tools"
    /usr/bin/python3 -m venv "$report_tools"
    "$report_tools/bin/pip" install -q --disable-pip-version-check "weasyprint==70.0" "case-utils==0.18.0"
  fi
fi

command -v swift >/dev/null || { echo "setup: the Swift toolchain (swift 6) is not on PATH" >&2; exit 1; }

if [ "${1:-}" = "--deps-only" ]; then
  exit 0
fi

swift build -c release --product imprint
echo "setup: built $(swift build -c release --show-bin-path)/imprint"

#!/usr/bin/env bash
# Compares imprint's normalised metadata with ExifTool's on every file under DIR and
# prints the agreement per field (and each disagreement).
#
#   scripts/crosscheck-exiftool.sh [DIR]      default ../shared/corpus/camera
#
# Needs exiftool (Debian libimage-exiftool-perl; scripts/setup.sh installs it) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/camera}")
command -v exiftool >/dev/null || { echo "crosscheck: exiftool is not installed (apt-get install libimage-exiftool-perl)" >&2; exit 1; }
bin="$(swift build -c release --show-bin-path)/imprint"
[ -x "$bin" ] || swift build -c release --product imprint >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" analyze --json "$dir" >"$tmp/imprint.jsonl"
exiftool -q -q -j -n -G -r "$dir" >"$tmp/exiftool.json" || true
python3 scripts/crosscheck_exiftool.py "$tmp/imprint.jsonl" "$tmp/exiftool.json" "$dir"

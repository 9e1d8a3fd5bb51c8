#!/usr/bin/env bash
# Time per image for parsing and metadata extraction, against ExifTool on the same files,
# measured in one run (warm page cache, best of N runs):
#   imprint analyze --json DIR   (read once, SHA-256 + MD5, container parse, EXIF/XMP/IPTC/ICC,
#                                 every analyzer including the thumbnail decode: a superset)
#   exiftool -j -r DIR            (metadata only)
#
#   scripts/bench-metadata.sh [DIR] [RUNS]     default ../shared/corpus/camera, 5 runs
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/camera}")
runs=${2:-5}
command -v exiftool >/dev/null || { echo "bench: exiftool is not installed" >&2; exit 1; }
bin="$(swift build -c release --show-bin-path)/imprint"
[ -x "$bin" ] || swift build -c release --product imprint >/dev/null
files=$(find "$dir" -type f | wc -l)
find "$dir" -type f -print0 | xargs -0 cat >/dev/null
source scripts/lib/timing.sh  # (the script has cd-ed to the repository root)
t_imprint=$(best "$bin" analyze --json "$dir")
t_imprint1=$(best "$bin" analyze --json --jobs 1 "$dir")
t_exiftool=$(best exiftool -j -r "$dir")
echo "corpus: $dir — $files files; best of $runs runs, warm cache"
printf "%-44s %8.3f s  %7.2f ms/image\n" "imprint analyze --json (--jobs $(nproc))" "$t_imprint" "$(calc "$t_imprint * 1000 / $files")"
printf "%-44s %8.3f s  %7.2f ms/image\n" "imprint analyze --json --jobs 1" "$t_imprint1" "$(calc "$t_imprint1 * 1000 / $files")"
printf "%-44s %8.3f s  %7.2f ms/image\n" "exiftool -j -r" "$t_exiftool" "$(calc "$t_exiftool * 1000 / $files")"
printf "exiftool / imprint: %.1f x (one job: %.1f x)\n" "$(calc "$t_exiftool / $t_imprint")" "$(calc "$t_exiftool / $t_imprint1")"

#!/usr/bin/env bash
# Time per image of perceptual hashing, imprint against the Python reference loop, on the
# same files in one run (warm page cache, best of N runs):
#   imprint analyze --json DIR        read once, SHA-256 + MD5, parse, metadata, one full
#                                     decode, PDQ + 8 dihedral variants + pHash + dHash + aHash,
#                                     every other analyzer: a superset of the Python loop
#   Python: Pillow open + convert('RGB') (decode), then pdqhash.compute + imagehash.phash
#           + imagehash.dhash per file (hash); reported separately and together
#
#   scripts/bench-pdq.sh [DIR] [RUNS]       default ../shared/corpus/pdq, 5 runs
#
# The reference packages come from python3 or a private virtualenv, as in
# scripts/crosscheck-pdq.sh (IMPRINT_PYENV). IMPRINT_BIN overrides the imprint binary.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/pdq}")
runs=${2:-5}

requirements=(pdqhash==0.2.8 imagehash==4.3.2 Pillow==13.0.0 numpy)
python=python3
if ! "$python" -c "import pdqhash, imagehash, PIL, numpy" 2>/dev/null; then
  venv=${IMPRINT_PYENV:-$HOME/.cache/imprint/pyref}
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -c "import pdqhash, imagehash, PIL, numpy" 2>/dev/null \
    || "$venv/bin/python" -m pip install --quiet "${requirements[@]}"
  python="$venv/bin/python"
fi

bin=${IMPRINT_BIN:-}
if [ -z "$bin" ]; then
  bin="$(swift build -c release --show-bin-path)/imprint"
  [ -x "$bin" ] || swift build -c release --product imprint >/dev/null
fi

find "$dir" -type f -print0 | xargs -0 cat >/dev/null
source scripts/lib/timing.sh  # (the script has cd-ed to the repository root)

# imprint must actually hash, or its time means nothing here.
if [ "$("$bin" analyze --json "$dir" 2>/dev/null | grep -c '"hashes":{"pdq":')" = 0 ]; then
  echo "bench-pdq: \`imprint analyze --json\` prints no hashes.pdq;" >&2
  echo "bench-pdq: its time below is analysis without perceptual hashing" >&2
fi

read -r files py_decode py_hash py_total < <("$python" scripts/crosscheck_pdq.py time "$dir" "$runs")
[ "$files" -gt 0 ] || { echo "bench-pdq: no JPEG/PNG under $dir" >&2; exit 1; }
t_imprint=$(best "$bin" analyze --json "$dir")
t_imprint1=$(best "$bin" analyze --json --jobs 1 "$dir")

echo "corpus: $dir — $files images; best of $runs runs, warm cache"
printf "%-52s %8.3f s  %7.2f ms/image\n" "imprint analyze --json (--jobs $(nproc))" "$t_imprint" "$(calc "$t_imprint * 1000 / $files")"
printf "%-52s %8.3f s  %7.2f ms/image\n" "imprint analyze --json --jobs 1" "$t_imprint1" "$(calc "$t_imprint1 * 1000 / $files")"
printf "%-52s %8.3f s  %7.2f ms/image\n" "Python decode (Pillow open + convert RGB)" "$py_decode" "$(calc "$py_decode * 1000 / $files")"
printf "%-52s %8.3f s  %7.2f ms/image\n" "Python hash (pdqhash + imagehash phash + dhash)" "$py_hash" "$(calc "$py_hash * 1000 / $files")"
printf "%-52s %8.3f s  %7.2f ms/image\n" "Python decode + hash, one process" "$py_total" "$(calc "$py_total * 1000 / $files")"
printf "Python (decode + hash) / imprint --jobs 1: %.1f x\n" "$(calc "$py_total / $t_imprint1")"

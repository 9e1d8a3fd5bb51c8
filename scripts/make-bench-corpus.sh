#!/usr/bin/env bash
# Builds a realistic benchmark corpus of N images from the photographs in ../shared/corpus,
# deterministic for a given N (file i depends only on i, so the first 2,000 files of an
# 8,000-file corpus are the 2,000-file corpus):
#   42 % camera-size JPEGs (12 MP and 8 MP, quality 85-95, 4:2:0, the source's EXIF kept),
#   25 % messaging-style re-saves (1600 px, quality 70-85, EXIF stripped),
#   15 % resizes (1024 px, quality 75-90), 8 % PNGs (1024 px, some with alpha),
#   10 % byte-identical duplicates of an earlier file (a re-downloaded photo).
# Photographs are upscaled with Lanczos from the corpus and given a deterministic
# sensor-like noise so JPEG decoding costs what real photos cost.
#
#   scripts/make-bench-corpus.sh N OUT [--resume]
# --resume keeps the files an earlier run left in OUT (an interrupted run, or a smaller
# corpus copied or hard-linked there: `cp -al c2000 c8000` then N=8000 adds files 2000+).
# Needs Pillow and numpy (installed into IMPRINT_PYENV, default ~/.cache/imprint/pyref,
# when python3 lacks them). OUT must not exist or be empty.
set -euo pipefail
[ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$3" = --resume ]; } || { echo "usage: scripts/make-bench-corpus.sh N OUT [--resume]" >&2; exit 2; }
count=$1 out=$2 resume=${3:-}
[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -gt 0 ] || { echo "make-bench-corpus: N must be a positive integer" >&2; exit 2; }
cd "$(dirname "$0")/.."
corpus=$(realpath ../shared/corpus)
python=python3
if ! "$python" -c "import PIL, numpy" 2>/dev/null; then
    venv=${IMPRINT_PYENV:-$HOME/.cache/imprint/pyref}
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -c "import PIL, numpy" 2>/dev/null || "$venv/bin/python" -m pip install --quiet Pillow numpy
    python="$venv/bin/python"
fi
mkdir -p "$out"
[ -n "$resume" ] || [ -z "$(ls -A "$out")" ] || { echo "make-bench-corpus: $out is not empty" >&2; exit 2; }
exec "$python" scripts/bench/make_bench_corpus.py "$count" "$out" "$corpus"

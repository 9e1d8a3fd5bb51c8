#!/usr/bin/env bash
# Compares imprint's perceptual hashes with the reference implementations on every
# JPEG/PNG under DIR and prints a per-file table and the acceptance bar of
# docs/specs/PDQ-AND-PERCEPTUAL-HASHES.md (PDQ <= 4 bits on every image of quality >= 80,
# identical on >= 80 %, quality within +-5; pHash/dHash within 4 bits on >= 95 %).
#
#   scripts/crosscheck-pdq.sh [DIR]      default ../shared/corpus/pdq
#
# imprint side: `imprint analyze --json DIR`, keys hashes.pdq, hashes.pdqQuality,
# hashes.phash, hashes.dhash of each entry (IMPRINT_BIN overrides the binary).
# Reference side: Meta's PDQ through the PyPI package pdqhash (C++ core) on Pillow's
# convert('RGB'), and imagehash, with the versions the corpus goldens were made with.
# When python3 lacks them, they are installed into a private virtualenv
# (IMPRINT_PYENV, default ~/.cache/imprint/pyref). Pillow's version matters: its
# LANCZOS pass order (13.0) and JPEG decoder decide pHash/dHash bits.
#
# Exit status: 0 bar met, 1 bar not met, 2 imprint printed no hashes at all.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/pdq}")
[ -d "$dir" ] || { echo "crosscheck-pdq: no such folder: $dir" >&2; exit 1; }

# Pinned to what made corpus/pdq/expected*.csv.
requirements=(pdqhash==0.2.8 imagehash==4.3.2 Pillow==13.0.0 numpy)
python=python3
if ! "$python" -c "import pdqhash, imagehash, PIL, numpy" 2>/dev/null; then
  venv=${IMPRINT_PYENV:-$HOME/.cache/imprint/pyref}
  if [ ! -x "$venv/bin/python" ]; then
    echo "crosscheck-pdq: creating $venv for ${requirements[*]}" >&2
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c "import pdqhash, imagehash, PIL, numpy" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet "${requirements[@]}"
  fi
  python="$venv/bin/python"
fi
"$python" - <<'EOF' >&2
import PIL, numpy, imagehash
from importlib.metadata import version
print("reference: pdqhash %s, imagehash %s, Pillow %s, numpy %s"
      % (version("pdqhash"), version("imagehash"), PIL.__version__, numpy.__version__))
EOF

bin=${IMPRINT_BIN:-}
if [ -z "$bin" ]; then
  bin="$(swift build -c release --show-bin-path)/imprint"
  [ -x "$bin" ] || swift build -c release --product imprint >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" analyze --json "$dir" >"$tmp/imprint.jsonl"
"$python" scripts/crosscheck_pdq.py reference "$dir" >"$tmp/reference.jsonl"
"$python" scripts/crosscheck_pdq.py compare "$tmp/imprint.jsonl" "$tmp/reference.jsonl" "$dir"

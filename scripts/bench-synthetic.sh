#!/usr/bin/env bash
# Time per megapixel of imprint's synthetic-artifact features (decode + features, as
# `imprint eval` measures them in metrics.json, secondsPerMegapixel), beside libjpeg-turbo's
# own `djpeg` decoding the same JPEG files in the same run, so the figure can be read on
# any machine as a ratio to a plain decode.
#
#   scripts/bench-synthetic.sh [LABELS.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
labels="${1:-../shared/corpus/synthetic/labels.csv}"
base="$(cd "$(dirname "$labels")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

swift build -c release --product imprint >/dev/null
.build/release/imprint eval "$labels" --out "$out/eval" --resamples 10 >/dev/null

# The JPEG files of the set and their megapixels (from the eval's own scores file order).
python3 - "$labels" "$base" "$out/eval/metrics.json" <<'PY'
import csv, json, subprocess, sys, time
labels, base, metrics = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.DictReader(open(labels)))
jpegs = []
for row in rows:
    path = row["path"] if row["path"].startswith("/") else base + "/" + row["path"]
    with open(path, "rb") as f:
        if f.read(3) == b"\xff\xd8\xff":
            jpegs.append(path)
pixels = 0
start = time.perf_counter()
for path in jpegs:
    ppm = subprocess.run(["djpeg", "-ppm", path], check=True, capture_output=True).stdout
    header = ppm.split(b"\n", 3)
    w, h = map(int, header[1].split())
    pixels += w * h
djpeg = (time.perf_counter() - start) / (pixels / 1e6)
imprint = json.load(open(metrics))["secondsPerMegapixel"]
print(f"imprint decode + features: {imprint:.4f} s per megapixel ({len(rows)} files)")
print(f"djpeg decode (process per file): {djpeg:.4f} s per megapixel ({len(jpegs)} JPEG files)")
print(f"ratio imprint / djpeg: {imprint / djpeg:.2f}")
PY

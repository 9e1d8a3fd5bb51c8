#!/usr/bin/env bash
# Compares imprint's Stable Diffusion watermark decoder with the reference decoder
# (PyPI invisible-watermark 0.2.0, the library the generators ship) on
# ../shared/corpus/watermark, and prints the detection table of docs/watermarks.md and
# each decoder's time per megapixel.
#
#   scripts/crosscheck-watermark.sh [DIR]     default ../shared/corpus/watermark
#
# Reference: WatermarkDecoder('bytes'|'bits', L).decode(img, 'dwtDct') on OpenCV's BGR
# image (the canonical order) and on the RGB array (diffusers' order), best of the two,
# scored as the fraction of payload bits that agree; "detected" = agreement >= 0.75, the
# bar the corpus README uses. imprint: `imprint watermark --json`, detected = tier
# likely or very_likely with the expected payload.
# The reference's packages go into a private virtualenv (IMPRINT_PYENV, default
# ~/.cache/imprint/pyref). invisible-watermark is installed without its torch and onnx
# dependencies, which only its rivaGan method needs; the script stubs those imports.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/watermark}")
[ -f "$dir/expected.csv" ] || { echo "crosscheck-watermark: no expected.csv in $dir" >&2; exit 1; }
venv=${IMPRINT_PYENV:-$HOME/.cache/imprint/pyref}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c "import cv2, pywt, numpy" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet opencv-python-headless PyWavelets numpy
fi
if ! "$venv/bin/python" -c "import importlib.util as u; assert u.find_spec('imwatermark')" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --no-deps invisible-watermark==0.2.0
fi
binary=${IMPRINT_BIN:-.build/release/imprint}
[ -x "$binary" ] || swift build -c release >/dev/null
ours=$(mktemp)
trap 'rm -f "$ours"' EXIT
start=$(date +%s.%N)
"$binary" watermark --json --jobs 1 "$dir" > "$ours"
end=$(date +%s.%N)
"$venv/bin/python" - "$dir" "$ours" "$start" "$end" <<'PY'
import csv, json, os, sys, time, types
sys.modules.setdefault("torch", types.ModuleType("torch"))  # only rivaGan needs it
import cv2, numpy as np
from imwatermark import WatermarkDecoder

folder, ours_path, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
payloads = {
    "sd1": ("bytes", np.unpackbits(np.frombuffer(b"StableDiffusionV1", dtype=np.uint8))),
    "sd2": ("bytes", np.unpackbits(np.frombuffer(b"SDV2", dtype=np.uint8))),
    "sdxl": ("bits", np.array([int(c) for c in bin(0xB3EC907BB19E)[2:].zfill(48)], dtype=np.uint8)),
}
ours = {}
for line in open(ours_path):
    row = json.loads(line)
    ours[os.path.basename(row["path"])] = row
rows = list(csv.DictReader(open(os.path.join(folder, "expected.csv"))))
ref_seconds, megapixels = 0.0, 0.0
table = []
for row in rows:
    name, expected = row["file"], row["payload"]
    path = os.path.join(folder, name)
    bgr = cv2.imread(path)
    megapixels += bgr.shape[0] * bgr.shape[1] / 1e6
    best_ref = {}
    t0 = time.perf_counter()
    for pid, (kind, bits) in payloads.items():
        decoder = WatermarkDecoder(kind, len(bits))
        agreements = []
        for image in (bgr, bgr[..., ::-1].copy()):
            out = decoder.decode(image, "dwtDct")
            decoded = np.unpackbits(np.frombuffer(bytes(out), dtype=np.uint8)) if kind == "bytes" else np.array(out, dtype=np.uint8)
            agreements.append(float((decoded[: len(bits)] == bits).mean()))
        best_ref[pid] = max(agreements)
    ref_seconds += time.perf_counter() - t0
    r = ours.get(name, {})
    our_payloads = {p["payload"]: p for p in r.get("payloads", [])}
    positive = [p for p in our_payloads.values() if p["tier"] in ("likely", "very_likely")]
    our_call = min(positive, key=lambda p: p["pFalseAlarm"])["payload"] if positive else "none"
    target = expected if expected in payloads else "sdxl"
    ref_agree = best_ref[target]
    ref_call = max(best_ref, key=best_ref.get) if max(best_ref.values()) >= 0.75 else "none"
    op = our_payloads.get(target, {})
    table.append((name, row["variant"], expected, ref_agree, ref_call, op.get("bitsAgreeing"), op.get("payloadBits"), op.get("tier", r.get("status")), our_call))

def correct(call, expected):
    return call == expected if expected in payloads else call == "none"

print(f"{'file':<30} {'variant':<15} {'expected':<9} {'reference':>9} {'ref call':<8}  {'imprint':>7}  {'tier':<11} {'call':<5}")
for name, variant, expected, ra, rc, k, L, tier, oc in table:
    ours_text = f"{k}/{L}" if k is not None else "-"
    print(f"{name:<30} {variant:<15} {expected:<9} {ra:9.2f} {rc:<8}  {ours_text:>7}  {tier:<11} {oc:<5}")
groups = {}
for name, variant, expected, ra, rc, k, L, tier, oc in table:
    group = variant.split("-")[-1] if "-" in variant and variant != "sdxl-diffusers" else ("clean" if variant == "clean" else "png")
    g = groups.setdefault(group, [0, 0, 0])
    g[0] += 1
    g[1] += correct(rc, expected)
    g[2] += correct(oc, expected)
print("\ngroup       files  reference correct  imprint correct")
for group, (n, r, o) in groups.items():
    print(f"{group:<11} {n:>5}  {r:>17}  {o:>15}")
print(f"\ntime per megapixel: imprint {(end - start) / megapixels * 1000:.1f} ms (whole process, 1 job, incl. start-up);"
      f" reference {ref_seconds / megapixels * 1000:.1f} ms (3 payloads x 2 orders, decode only)")
PY

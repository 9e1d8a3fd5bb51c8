#!/usr/bin/env bash
# Measures the empirical null of the Stable Diffusion watermark decoder: decodes unmarked
# photographs with `imprint watermark --json`, and compares how often the search-corrected
# binomial probability (binomialTail x variants searched, before the inflation factor)
# falls below a level with how often it should. The largest observed/expected ratio is
# the image-bias inflation factor DwtDctScoring.empiricalInflation must be at least.
#
#   scripts/watermark-null.sh [FOLDER|FILE ...]
# Default: the unmarked photographs of ../shared/corpus (camera, pdq, synthetic/real and
# the clean watermark sources).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
if [ $# -eq 0 ]; then
    set -- "$corpus/camera" "$corpus/pdq" "$corpus/synthetic/real" "$corpus"/watermark/*_clean.png
fi
binary=.build/release/imprint
[ -x "$binary" ] || swift build -c release >/dev/null
"$binary" watermark --json "$@" | python3 -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
# The same photograph under two names (the corpus has a few) counts once.
seen, decoded = set(), []
for r in rows:
    if r.get("status") == "decoded" and r.get("sha256") not in seen:
        seen.add(r.get("sha256"))
        decoded.append(r)
print(f"files: {len(rows)}, distinct decoded: {len(decoded)}")
levels = [0.5, 0.2, 0.1, 0.05, 0.01, 0.001]
worst = 0.0
for payload in ("sd1", "sd2", "sdxl"):
    results = [p for r in decoded for p in r["payloads"] if p["payload"] == payload]
    if not results:
        continue
    raw = [min(1.0, p["binomialTail"] * r["variantsPerPayload"]) for r in decoded for p in r["payloads"] if p["payload"] == payload]
    top = max(results, key=lambda p: p["bitsAgreeing"])
    tiers = {}
    for p in results:
        tiers[p["tier"]] = tiers.get(p["tier"], 0) + 1
    best = "%d/%d" % (top["bitsAgreeing"], top["payloadBits"])
    print(f"\n{payload}: {len(results)} decodes, best agreement {best}, tiers {tiers}")
    print("  level   observed  expected  ratio")
    for level in levels:
        observed = sum(1 for v in raw if v <= level)
        expected = level * len(raw)
        ratio = observed / expected
        if observed >= 2:
            worst = max(worst, ratio)
        print(f"  {level:<7} {observed:>8} {expected:>9.2f}  {ratio:5.2f}")
print(f"\nlargest observed/expected ratio (levels with at least 2 files): {worst:.2f}")
'

#!/usr/bin/env bash
# Builds the C kernels (Sources/CImprintKernels: Pillow's horizontal resampling pass and
# grey (bytes and 16-bit), PDQ luma (apart and fused with the grey) and tent stream,
# SD-watermark block rows, the synthetic features' crop loops, transposes) with AddressSanitizer, UndefinedBehaviorSanitizer
# and leak checking, twice (AVX2 and portable code), and runs them on many shapes with
# buffers of exactly the documented sizes (scripts/c/kernels_check.c). Exit status 1 on
# a failure or a sanitizer report.
#
#   scripts/check-kernels.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arches=("")
grep -qw avx2 /proc/cpuinfo 2>/dev/null && arches=(-march=haswell "")
for arch in "${arches[@]}"; do
    clang -O1 -g $arch -ffp-contract=off -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
        -ISources/CImprintKernels/include scripts/c/kernels_check.c Sources/CImprintKernels/*.c -o "$tmp/check" \
        2> >(grep -v 'Cannot export local symbol' >&2)
    echo "kernels ${arch:-(portable)}: $(ASAN_OPTIONS=detect_leaks=1 "$tmp/check")"
done

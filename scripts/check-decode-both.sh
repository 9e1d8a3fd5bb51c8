#!/usr/bin/env bash
# Builds the one-pass JPEG decode (Sources/CImprintCodecs/imprint_jpeg_both.c) with
# AddressSanitizer, UndefinedBehaviorSanitizer and leak checking, and runs it on JPEGs
# (default: ../shared/corpus, files under 3 MB) and on 4 truncations and 6 byte-flipped
# copies of each, in its three modes (two whole images; smooth image plus replicated
# strips; both images in strips only, neither held).
# Wherever both the one-pass decode and libjpeg's own decodes succeed,
# their pixels must be identical. First, its YCbCr-to-RGB conversion is compared with the
# plain JFIF formula for every Y, Cb and Cr. Exit status 1 on a mismatch or a sanitizer
# report.
#
#   scripts/check-decode-both.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t files < <(find "$dir" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -size -3M | sort)
[ ${#files[@]} -gt 0 ] || { echo "check-decode-both: no JPEG under $dir" >&2; exit 2; }
# Both code paths: the AVX2 one release builds use on an x86-64-v3 machine, and the
# portable one.
arches=("")
grep -qw avx2 /proc/cpuinfo 2>/dev/null && arches=(-march=haswell "")
for arch in "${arches[@]}"; do
    echo "decode-both ${arch:-(portable)}:"
    clang -O1 -g $arch -ffp-contract=off -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
        -ISources/CImprintCodecs/include -ISources/CImprintCodecs \
        scripts/c/decode_both_check.c Sources/CImprintCodecs/imprint_jpeg_both.c Sources/CImprintCodecs/imprint_jpeg.c \
        -ljpeg -o "$tmp/check" 2> >(grep -v 'Cannot export local symbol' >&2)
    ASAN_OPTIONS=detect_leaks=1 "$tmp/check" "${files[@]}"
done

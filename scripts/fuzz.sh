#!/usr/bin/env bash
# Builds imprint's libFuzzer targets (Tests/Fuzz/*Fuzzer.swift) with AddressSanitizer and
# runs each for SECONDS (default 60). Seeds: small inputs made here plus the C2PA fixtures.
# A crash leaves its input in .fuzz/<target>/crash-*; turn it into a regression test.
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=.fuzz
mkdir -p "$out"

build() {  # target name, module name, sources...
  local name=$1 module=$2; shift 2
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name "$module" "$@" -o "$out/$name-fuzzer" 2>&1 \
    | grep -v "Cannot export local symbol" || true
}

build cbor ImprintBytes Sources/ImprintBytes/*.swift Tests/Fuzz/CBORFuzzer.swift
mkdir -p "$out/cbor/seeds"
printf '\xa2\x61\x61\x01\x61\x62\x83\x01\x02\x03' >"$out/cbor/seeds/map"
printf '\x9f\x01\x82\x02\x03\x9f\x04\x05\xff\xff' >"$out/cbor/seeds/indefinite"
printf '\xd2\x84\x43\xa1\x01\x26\xa0\xf6\x40' >"$out/cbor/seeds/cose-sign1"
printf '\xfb\x3f\xf1\x99\x99\x99\x99\x99\x9a' >"$out/cbor/seeds/double"

for target in cbor; do
  echo "fuzz: $target for $seconds s"
  (cd "$out/$target" && "../$target-fuzzer" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 seeds 2>&1 \
    | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Done" || true)
done

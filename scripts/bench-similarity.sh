#!/usr/bin/env bash
# PDQ similarity scale targets (docs/specs/SIMILARITY-INDEX-AND-CLUSTERING.md §7), driven
# through the hidden `imprint bench-similarity` mode of the release binary:
#   1. cluster COUNT random PDQ codes with planted near-duplicate families at radius 31
#      (target: < 60 s and < 2 GB peak resident memory on 2 cores);
#   2. QUERIES radius-31 queries against the same COUNT codes (target: < 10 s).
# Times are measured inside the process (code generation excluded); peak memory is
# /usr/bin/time -v's "Maximum resident set size" for the whole process.
#
#   scripts/bench-similarity.sh [COUNT] [QUERIES] [WORKERS]   default 1000000 10000 2
#   SCRATCH=.build-cluster scripts/bench-similarity.sh        to use another build folder
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
queries=${2:-10000}
workers=${3:-2}
scratch=${SCRATCH:-.build}
families=$((count / 20))
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (GNU time) is required for peak memory" >&2; exit 1; }
swift build -c release --scratch-path "$scratch" --product imprint >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/imprint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {  # phase → prints the tool's lines, then elapsed wall time and peak RSS
    /usr/bin/time -v "$bin" bench-similarity --phase "$1" --count "$count" --families "$families" \
        --queries "$queries" --radius 31 --workers "$workers" 2>"$tmp/time"
    awk -F': ' '/Elapsed \(wall clock\)/ {print "  process wall time: " $2}
                /Maximum resident set size/ {printf "  peak RSS: %.0f MB\n", $2 / 1024}' "$tmp/time"
}

echo "== cluster $count codes ($families planted families), radius 31, $workers workers"
run cluster
echo "== $queries radius-31 queries against $count codes, $workers workers"
run query

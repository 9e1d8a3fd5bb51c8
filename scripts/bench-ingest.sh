#!/usr/bin/env bash
# Ingest throughput against the hashing floor, measured in one run on the same files:
#   imprint ingest (read once, SHA-256 + MD5, sniff, analyzers, batched database writes)
#   imprint analyze --json (the same per-file work, no database)
#   imprint analyze --hash-only (read once, SHA-256 + MD5 and sniffing only)
#   sha256sum, md5sum, and sha256sum + md5sum (two reads), over the same files
# Every tool runs on a warm page cache (a first pass reads everything), best of N runs.
#
#   scripts/bench-ingest.sh [DIR] [RUNS]     default DIR ../shared/corpus, RUNS 3
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus}")
runs=${2:-3}
bin="$(swift build -c release --show-bin-path)/imprint"
[ -x "$bin" ] || swift build -c release --product imprint >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=$(find "$dir" -type f | wc -l)
bytes=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
find "$dir" -type f -print0 | xargs -0 cat >/dev/null   # warm the page cache

source scripts/lib/timing.sh  # (the script has cd-ed to the repository root)

ingest_once() {
  rm -f "$tmp/case.imprint"*
  "$bin" case create "$tmp/case.imprint" --case-number BENCH --examiner bench >/dev/null
  "$bin" ingest "$tmp/case.imprint" "$dir" --exhibit BENCH --quiet "$@"
}
sha_all() { find "$dir" -type f -print0 | xargs -0 -P1 sha256sum; }
md5_all() { find "$dir" -type f -print0 | xargs -0 -P1 md5sum; }
both_all() { sha_all; md5_all; }

t_ingest=$(best ingest_once)
t_ingest1=$(best ingest_once --jobs 1)
t_analyze=$(best "$bin" analyze --json "$dir")
t_hash=$(best "$bin" analyze --json --hash-only "$dir")
t_hash1=$(best "$bin" analyze --json --hash-only --jobs 1 "$dir")
t_sha=$(best sha_all)
t_md5=$(best md5_all)
t_both=$(best both_all)

row() {  # name seconds
  printf "%-40s %8.3f s %10.0f files/s %9.1f MB/s\n" "$1" "$2" "$(calc "$files / $2")" "$(calc "$bytes / 1000000 / $2")"
}
echo "corpus: $dir — $files files, $bytes bytes; $(nproc) cores; best of $runs runs, warm cache"
row "imprint ingest (--jobs $(nproc))" "$t_ingest"
row "imprint ingest --jobs 1" "$t_ingest1"
row "imprint analyze --json (no database)" "$t_analyze"
row "imprint analyze --hash-only (SHA-256+MD5)" "$t_hash"
row "imprint analyze --hash-only --jobs 1" "$t_hash1"
row "sha256sum (one process)" "$t_sha"
row "md5sum (one process)" "$t_md5"
row "sha256sum + md5sum" "$t_both"
printf "ratio imprint ingest / (sha256sum + md5sum): %.2f (below 1 = imprint faster)\n" "$(calc "$t_ingest / $t_both")"
printf "ratio imprint ingest --jobs 1 / (sha256sum + md5sum): %.2f\n" "$(calc "$t_ingest1 / $t_both")"
printf "ratio imprint --hash-only --jobs 1 (SHA-256 and MD5) / sha256sum alone: %.2f\n" "$(calc "$t_hash1 / $t_sha")"

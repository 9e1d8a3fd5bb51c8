#!/usr/bin/env bash
# Time per file of `imprint analyze` (release) on each malformed file: the hostile-input
# budget is 2 s per file. Prints one line per file and the worst time.
#
#   scripts/bench-malformed.sh [DIR]      default ../shared/corpus/malformed
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/malformed}")
bin="$(swift build -c release --show-bin-path)/imprint"
[ -x "$bin" ] || swift build -c release --product imprint >/dev/null
source scripts/lib/timing.sh
runs=3
worst=0
for file in "$dir"/*; do
  t=$(best "$bin" analyze --json "$file")
  printf "%-40s %6.3f s\n" "$(basename "$file")" "$t"
  worst=$(calc "($t > $worst) ? $t : $worst")
done
printf "worst: %.3f s per file (budget 2 s)\n" "$worst"

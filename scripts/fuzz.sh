#!/usr/bin/env bash
# Fuzzes every parser of evidence bytes (the targets of Tests/Fuzz/FuzzTargets.swift) with
# libFuzzer and AddressSanitizer, SECONDS per target (default 60), and prints executions
# and crashes per target. The build goes to .build-fuzz; seeds are derived at run time from
# ../shared/corpus and written with everything else under .fuzz/ (git-ignored; no
# third-party file is ever copied into the repository). A crash, timeout or out-of-memory
# input is left as .fuzz/<target>/crash-*|timeout-*|oom-*: replay it with
#   .build-fuzz/release/ImprintFuzz run TARGET FILE    (or a debug build: swift run ImprintFuzz run TARGET FILE)
# then fix the parser and add the input as a regression test.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]        default: all targets
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
corpus=${IMPRINT_CORPUS:-../shared/corpus}
out=.fuzz
scratch=.build-fuzz

resource=$(dirname "$(dirname "$(command -v swift)")")/lib/swift/clang/lib/linux
driver=$(ls "$resource"/libclang_rt.fuzzer_no_main-*.a 2>/dev/null | head -1)
[ -n "$driver" ] || { echo "fuzz: libFuzzer (libclang_rt.fuzzer_no_main) not found under $resource" >&2; exit 3; }

# Coverage and ASan instrumentation for every Swift module; libFuzzer's driver without its
# main() (SwiftPM names the executable's entry point itself, FuzzEntry.swift calls the driver).
echo "fuzz: building (release, AddressSanitizer, libFuzzer coverage) into $scratch" >&2
swift build -c release --scratch-path "$scratch" --product ImprintFuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
  -Xswiftc -enable-testing -Xswiftc -DIMPRINT_FUZZ \
  -Xlinker "$driver" -Xlinker -lstdc++ 2>&1 | grep -v -e "Cannot export local symbol" -e "^\[" >&2 || true
bin="$scratch/release/ImprintFuzz"
[ -x "$bin" ] || { echo "fuzz: build failed" >&2; exit 3; }

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("$bin" list)
# Hash-set importers added later (NSRL RDS, Project VIC VICS) are further entries of
# FuzzTargets.all (e.g. hashset-nsrl, hashset-vics); `list` picks them up here unchanged.

mapfile -t corpus_files < <(find "$corpus" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \
  -o -iname '*.gif' -o -iname '*.tif' -o -iname '*.tiff' -o -iname '*.heic' -o -iname '*.avif' \) -size -4M 2>/dev/null | sort)
[ ${#corpus_files[@]} -gt 0 ] || echo "fuzz: notice: no corpus at $corpus; seeds are only the ones made by imprint" >&2

# Leak checking is off: Foundation keeps buffers it never frees (FileManager.contents),
# which LeakSanitizer would report as crashes of every target that reads a file.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
printf "%-14s %12s %9s %8s %8s\n" target executions exec/s corpus crashes
total_crashes=0
for target in "${targets[@]}"; do
  dir="$out/$target"
  rm -rf "$dir/seeds"
  mkdir -p "$dir/seeds" "$dir/corpus"
  "$bin" seeds "$target" "$dir/seeds" "${corpus_files[@]}" >/dev/null
  log="$dir/last-run.log"
  IMPRINT_FUZZ_TARGET="$target" TMPDIR="$dir" "$bin" -max_total_time="$seconds" -max_len=131072 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "$dir/seeds" >"$log" 2>&1 || true
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  size=$(find "$dir/corpus" -type f | wc -l)
  crashes=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  total_crashes=$((total_crashes + crashes))
  printf "%-14s %12s %9s %8s %8s\n" "$target" "${execs:-?}" "${rate:-?}" "$size" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    grep -m1 -E "ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY" "$log" | sed 's/^/    /' || true
    find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sed 's/^/    input: /'
  fi
done
echo "fuzz: $total_crashes crash/timeout/oom input(s) in total"

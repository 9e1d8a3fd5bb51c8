#!/usr/bin/env bash
# Runs imprint's test suite under AddressSanitizer and ThreadSanitizer (Swift and C code),
# each in its own build folder (.build-asan, .build-tsan), and prints one line per
# sanitizer: tests run, failures, sanitizer reports. Exit status 1 when any run failed or
# any sanitizer report was printed. Too slow for CI's 25-minute budget on 2 cores (see
# docs/hardening.md); run it before a release.
#
#   scripts/sanitizers.sh [address] [thread] [-- SWIFT-TEST-ARGS...]     default: both, all tests
#   scripts/sanitizers.sh thread -- --filter OrderedParallelTests
set -uo pipefail
cd "$(dirname "$0")/.."
sanitizers=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sanitizers+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
mkdir -p .fuzz
# Leak checking is off: the Swift runtime and Foundation keep process-lifetime caches that
# LeakSanitizer reports at exit. Every other ASan check is on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:strict_string_checks=1:detect_stack_use_after_return=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}
status=0
for sanitizer in "${sanitizers[@]}"; do
  case $sanitizer in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "sanitizers: unknown sanitizer $sanitizer (address or thread)" >&2; exit 2 ;;
  esac
  log=.fuzz/sanitizer-$sanitizer.log
  start=$(date +%s)
  swift test --sanitize="$sanitizer" --scratch-path "$scratch" "$@" >"$log" 2>&1
  rc=$?
  seconds=$(( $(date +%s) - start ))
  executed=$(grep -Eo "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1)
  reports=$(grep -cE "^(==[0-9]+==ERROR: AddressSanitizer|WARNING: ThreadSanitizer|SUMMARY: (Address|Thread)Sanitizer)" "$log")
  echo "$sanitizer: exit $rc, ${executed:-no test summary}, $reports sanitizer report line(s), ${seconds} s (log: $log)"
  grep -E -A3 "^(==[0-9]+==ERROR: AddressSanitizer|WARNING: ThreadSanitizer)" "$log" | head -40
  if [ "$rc" -ne 0 ] || [ "$reports" -ne 0 ]; then status=1; fi
done
exit $status

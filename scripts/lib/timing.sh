# Shared by the bench scripts (source it): arithmetic and best-of-N wall-clock timing.
# `runs` must be set by the caller.

# calc EXPR: floating-point arithmetic (awk is on every Debian machine; bc is not).
calc() { awk "BEGIN { print $1 }"; }

# best COMMAND...: the best wall-clock seconds of $runs runs, output discarded.
best() {
  local best=""
  for ((i = 0; i < runs; i++)); do
    local start end t
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    t=$(calc "$end - $start")
    if [ -z "$best" ] || [ "$(calc "($t < $best) ? 1 : 0")" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

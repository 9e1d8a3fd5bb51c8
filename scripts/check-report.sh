#!/usr/bin/env bash
# Renders an imprint HTML report in headless Chromium (Debian package `chromium`) and fails
# when its script did not run cleanly: the report's script marks <body data-script="ok">
# when done and data-script-error on any error; a CSP violation or an uncaught exception in
# the browser log fails too. Writes a PNG screenshot to look at.
#
#   scripts/check-report.sh REPORT.html [OUT.png] [FRAGMENT]
#     FRAGMENT, e.g. 'filter=c2pa&sort=score', is passed as the URL's #fragment (the report
#     applies it to the findings table); the rendered DOM is written to OUT.png's name + .dom.html
set -euo pipefail

report="${1:?usage: scripts/check-report.sh REPORT.html [OUT.png] [FRAGMENT]}"
png="${2:-${report%.html}.png}"
fragment="${3:-}"
[ -f "$report" ] || { echo "check-report: no such file: $report" >&2; exit 2; }

browser=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null; then browser=$(command -v "$candidate"); break; fi
done
[ -n "$browser" ] || { echo "check-report: chromium is not installed (scripts/setup.sh installs it)" >&2; exit 3; }

url="file://$(realpath "$report")${fragment:+#$fragment}"
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
       --disable-background-networking --disable-sync --user-data-dir="$profile"
       --enable-logging=stderr --v=0 --virtual-time-budget=5000)

dom="${png%.png}.dom.html"
"$browser" "${flags[@]}" --dump-dom "$url" >"$dom" 2>"$log" || { cat "$log" >&2; echo "check-report: chromium failed" >&2; exit 1; }
"$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,2200 --screenshot="$png" "$url" >/dev/null 2>>"$log" \
  || { cat "$log" >&2; echo "check-report: screenshot failed" >&2; exit 1; }

status=0
if ! grep -q 'data-script="ok"' "$dom"; then
  echo "check-report: the report's script did not finish (no data-script=\"ok\")" >&2; status=1
fi
if grep -o 'data-script-error="[^"]*"' "$dom" >&2; then
  echo "check-report: the report's script raised an error" >&2; status=1
fi
if grep -E "Uncaught|Refused to (execute|load|apply)|Content Security Policy" "$log" >&2; then
  echo "check-report: the browser logged a script error or a blocked resource" >&2; status=1
fi
[ -s "$png" ] || { echo "check-report: no screenshot written" >&2; status=1; }
shown=$(grep -o 'data-findings-shown="[0-9]*"' "$dom" | head -1 | grep -o '[0-9]*' || true)
if [ "$status" = 0 ]; then
  echo "check-report: OK: script ran, ${shown:-0} findings shown, screenshot $png, DOM $dom"
fi
exit "$status"

#!/usr/bin/env bash
# The test command: makes sure the build dependencies are installed, then runs every
# test (unit tests on fixtures the tests make, and conformance tests on ../shared/corpus,
# which skip with a notice when it is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --deps-only
swift test

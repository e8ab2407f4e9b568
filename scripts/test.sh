#!/usr/bin/env bash
# Set-up as scripts/setup.sh, then runs every test in the Release build (unit tests, golden CLI
# cases, fuzz regression replays, the Chinese-completeness sweep tests/i18n and the real-browser
# test of the HTML reports tests/browser, whose screenshots land in build/browser-artifacts/),
# again under ASan+UBSan (scripts/sanitize.sh; the browser test is not registered there), and
# finally every fuzz target for FUZZ_SECONDS seconds each (default 20; .ci/run sets 10 so that
# CI stays under 30 minutes on 2 cores: see docs/reports.md). Prints the time of each part.
# `scripts/test.sh --quick` stops after the Release tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
scripts/setup.sh
built_s=$((SECONDS - start))
echo "test: set-up and release build took ${built_s} s"
# shellcheck source=scripts/ctest_costs.sh
source scripts/ctest_costs.sh
seed_ctest_costs build/release
ctest --preset release -j "$(nproc)"
[ -f build/browser-artifacts/summary.txt ] && tail -n 2 build/browser-artifacts/summary.txt
release_s=$((SECONDS - start))
echo "test: release tests took $((release_s - built_s)) s"
[ "${1:-}" = "--quick" ] && exit 0
scripts/sanitize.sh
sanitize_s=$((SECONDS - start - release_s))
echo "test: sanitizer build and tests took ${sanitize_s} s"
# sanitize.sh built the ASan tree; fuzz.sh builds the clang libFuzzer tree (build/fuzz).
scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
echo "test: fuzzing took $((SECONDS - start - release_s - sanitize_s)) s; all parts $((SECONDS - start)) s"

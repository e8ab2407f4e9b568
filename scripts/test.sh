#!/usr/bin/env bash
# Set-up as scripts/setup.sh, then runs every test (unit + golden CLI cases + fuzz regression
# replays) in the Release build, again under ASan+UBSan (scripts/sanitize.sh), and finally every
# fuzz target for 20 s (scripts/fuzz.sh 20). `scripts/test.sh --quick` stops after the Release tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
scripts/setup.sh
ctest --preset release -j "$(nproc)"
release_s=$((SECONDS - start))
echo "test: release build and tests took ${release_s} s"
[ "${1:-}" = "--quick" ] && exit 0
scripts/sanitize.sh
sanitize_s=$((SECONDS - start - release_s))
echo "test: sanitizer build and tests took ${sanitize_s} s"
scripts/fuzz.sh 20
echo "test: fuzzing took $((SECONDS - start - release_s - sanitize_s)) s; all parts $((SECONDS - start)) s"

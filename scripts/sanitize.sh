#!/usr/bin/env bash
# Builds the whole tree (without benchmarks) in the `asan` preset: AddressSanitizer +
# UndefinedBehaviorSanitizer + float-cast-overflow, -fno-sanitize-recover=all. Then runs every
# ctest test under it (unit tests, golden CLI cases through build/asan/suanli, fuzz regression
# replays); the first sanitizer finding aborts its test and fails the script.
#   scripts/sanitize.sh          Environment: JOBS (build and test jobs, default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${JOBS:-$(nproc)}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
start=$SECONDS
cmake --preset asan "${launcher[@]}" >/dev/null
cmake --build --preset asan -j "$jobs"
built=$SECONDS
echo "sanitize: build took $((built - start)) s"
# The test preset sets ASAN_OPTIONS/UBSAN_OPTIONS (halt on the first error, stack traces).
# shellcheck source=scripts/ctest_costs.sh
source scripts/ctest_costs.sh
seed_ctest_costs build/asan
ctest --preset asan -j "$jobs"
echo "sanitize: tests took $((SECONDS - built)) s"

#!/usr/bin/env bash
# Builds the `fuzz` preset (clang-14 + libFuzzer + ASan + UBSan) and runs every target in fuzz/
# for SECONDS_PER_TARGET (default 30), two at once, from the seed corpora of scripts/fuzz_seeds.sh
# (FUZZ_SEED fixes the mutation seed, default 1, so a CI run is repeatable). Any crash, leak,
# UB report or timeout fails the script; the input is left in build/fuzz/artifacts/ (copy it
# into fuzz/regressions/<target>/). Longer campaigns by CPU time: scripts/fuzz_long.sh.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Environment: JOBS (build jobs, default nproc), FUZZ_PARALLEL (targets at once, default nproc
# up to 2), FUZZ_TIMEOUT_S (one input, default 30; 120 for fuzz_cli_args, whose inputs run whole
# commands: a `compare` seed's card-count scan takes 15-20 s under the sanitizers, 0.2 s in Release),
# FUZZ_SKIP_BUILD=1 (use the targets already in build/fuzz), FUZZ_KEEP_GOING=1 (long campaigns:
# libFuzzer's fork mode goes on after a crash, timeout or OOM; the script still fails at the end
# when a target left a new input in build/fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
seconds="${1:-30}"
[ $# -gt 0 ] && shift
# shellcheck source=scripts/fuzz_seeds.sh
source scripts/fuzz_seeds.sh
targets=("${@:-${FUZZ_TARGETS[@]}}")
build="$root/build/fuzz"

start=$SECONDS
build_fuzz_targets

export_sanitizer_options
# fuzz_one TARGET: fuzzes TARGET for `seconds`; its log is build/fuzz/TARGET.log. Returns 1 on a
# finding: the fuzzer failed, or left a new input in the artefacts folder.
fuzz_one() {
  local target="$1" corpus="$build/corpus/$1" extra=() found_before
  make_seeds "$target" "$build/seeds"
  mkdir -p "$corpus" "$build/artifacts"
  local timeout_s="${FUZZ_TIMEOUT_S:-30}"
  [ "$target" = fuzz_cli_args ] && extra=(-close_fd_mask=2) && timeout_s="${FUZZ_TIMEOUT_S:-120}"
  [ -n "${FUZZ_KEEP_GOING:-}" ] && extra+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  found_before=$(ls "$build/artifacts" | grep -c "^$target-" || true)
  echo "fuzz: $target for ${seconds} s ($(ls "$build/seeds/$target" | wc -l) seeds)"
  # A unit slower than 10 s is not a finding (libFuzzer's default would write it as an
  # artefact); only one past the timeout is.
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout="$timeout_s" -seed="${FUZZ_SEED:-1}" \
    -report_slow_units="$timeout_s" \
    -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 "${extra[@]}" \
    -artifact_prefix="$build/artifacts/$target-" "$corpus" "$build/seeds/$target" \
    > "$build/$target.log" 2>&1 || return 1
  [ "$(ls "$build/artifacts" | grep -c "^$target-" || true)" = "$found_before" ]
}

# FUZZ_PARALLEL targets at once (default: the number of CPUs, at most 2): each target still
# gets its full `seconds`, on a core of its own.
parallel="${FUZZ_PARALLEL:-$(( $(nproc) < 2 ? $(nproc) : 2 ))}"
declare -A pid_of
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  fuzz_one "$target" &
  pid_of[$target]=$!
done
failed=()
for target in "${targets[@]}"; do
  if ! wait "${pid_of[$target]}"; then
    echo "fuzz: $target FAILED; log $build/$target.log, input in $build/artifacts/"
    grep -E "ERROR|runtime error|SUMMARY|#[0-9]+ 0x|Test unit written" "$build/$target.log" | head -30
    failed+=("$target")
  else
    echo "fuzz: $target: $(grep -E "stat::number_of_executed_units" "$build/$target.log" | tail -1 | tr -s ' ')," \
         "$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$build/$target.log" | tail -1)"
  fi
  if [ -n "${FUZZ_KEEP_GOING:-}" ]; then
    grep -E "cov: .*(exec/s|oom/timeout/crash)" "$build/$target.log" | tail -1
  fi
done
echo "fuzz: $((SECONDS - start)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"

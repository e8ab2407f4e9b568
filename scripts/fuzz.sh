#!/usr/bin/env bash
# Builds the `fuzz` preset (clang-14 + libFuzzer + ASan + UBSan) and runs every target in fuzz/
# (FUZZ_SEED fixes the mutation seed, default 1, so a CI run is repeatable)
# for SECONDS_PER_TARGET (default 30) from seed corpora built out of examples/, data/,
# tests/cases/ and tests/bad_inputs/. Any crash, leak, UB report or timeout fails the script;
# the input is left in build/fuzz/artifacts/ (copy it into fuzz/regressions/<target>/).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Environment: JOBS (build jobs, default nproc), FUZZ_TIMEOUT_S (one input, default 30),
# FUZZ_SKIP_BUILD=1 (use the targets already in build/fuzz), FUZZ_KEEP_GOING=1 (long campaigns:
# libFuzzer's fork mode goes on after a crash, timeout or OOM; the script still fails at the end
# when a target left a new input in build/fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
seconds="${1:-30}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_scenario_yaml fuzz_model_yaml fuzz_hf_config_json
                                     fuzz_quotes_yaml fuzz_quotes_csv fuzz_runs_csv fuzz_cli_args)
build="$root/build/fuzz"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
start=$SECONDS
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  cmake --preset fuzz "${launcher[@]}" >/dev/null
  cmake --build --preset fuzz -j "${JOBS:-$(nproc)}"
  echo "fuzz: build took $((SECONDS - start)) s"
fi

# copy_seeds DIR FILE...: copies the files that exist into DIR; a CSV over 16 KiB is cut into
# pieces of its header plus 25 rows, so every seed stays under -max_len.
copy_seeds() {
  local dir="$1"; shift
  local file base
  for file in "$@"; do
    [ -f "$file" ] || continue
    base="$(echo "${file#"$root"/}" | tr '/' '_')"
    if [[ "$file" == *.csv ]] && [ "$(stat -c %s "$file")" -gt 16384 ]; then
      tail -n +2 "$file" | split -l 25 - "$dir/$base.part-"
      for part in "$dir/$base".part-*; do
        { head -n 1 "$file"; cat "$part"; } > "$part.csv" && rm "$part"
      done
    else
      cp "$file" "$dir/$base"
    fi
  done
}

# cli_seeds DIR: one seed per golden case of a read-only command, one argument per line.
# The language and format variants of a case (-zh, -csv, -md, -text) are left out: they
# parse the same flags, and each seed runs in full before fuzzing starts (seconds under ASan).
cli_seeds() {
  local dir="$1" cmd name
  for cmd in tests/cases/*/cmd; do
    name="$(basename "$(dirname "$cmd")")"
    [[ "$name" =~ -(zh|csv|md|text)$ ]] && continue
    grep -qE '^(catalog|show|fit|train|compare)( |$)' "$cmd" || continue
    grep -q '[$/]' "$cmd" && continue
    xargs printf '%s\n' < "$cmd" > "$dir/$name"
  done
}

shopt -s nullglob
make_seeds() {
  local target="$1" dir="$build/seeds/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  case "$target" in
    fuzz_scenario_yaml) copy_seeds "$dir" examples/*.yaml tests/cases/*/scenario*.yaml tests/bad_inputs/*.yaml \
                                      tests/bad_inputs/semantic/scenario-*.yaml ;;
    fuzz_model_yaml) copy_seeds "$dir" data/models.yaml tests/cases/*/tiny-*.yaml fuzz/files/*.yaml tests/bad_inputs/*.yaml \
                                   tests/bad_inputs/semantic/model-*.yaml ;;
    fuzz_hf_config_json) copy_seeds "$dir" examples/models/*.json tests/cases/*/config.json tests/cases/*/*/config.json fuzz/files/*.json \
                                       tests/bad_inputs/semantic/model-*.json ;;
    fuzz_quotes_yaml) copy_seeds "$dir" data/market/*.yaml tests/cases/*/quotes*.yaml tests/bad_inputs/*.yaml \
                                    tests/bad_inputs/semantic/quotes-*.yaml ;;
    fuzz_quotes_csv) copy_seeds "$dir" tests/cases/market-*/*.csv tests/bad_inputs/*.csv tests/bad_inputs/semantic/quotes-*.csv ;;
    fuzz_runs_csv) copy_seeds "$dir" data/validation/*.csv tests/cases/*/runs*.csv tests/bad_inputs/*.csv ;;
    fuzz_cli_args) cli_seeds "$dir" ;;
  esac
  copy_seeds "$dir" fuzz/regressions/"$target"/*
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for target in "${targets[@]}"; do
  make_seeds "$target"
  corpus="$build/corpus/$target"
  mkdir -p "$corpus" "$build/artifacts"
  extra=()
  [ "$target" = fuzz_cli_args ] && extra=(-close_fd_mask=2)
  [ -n "${FUZZ_KEEP_GOING:-}" ] && extra+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  found_before=$(ls "$build/artifacts" | grep -c "^$target-" || true)
  echo "fuzz: $target for ${seconds} s ($(ls "$build/seeds/$target" | wc -l) seeds)"
  # A unit slower than 10 s is not a finding (libFuzzer's default would write it as an
  # artefact); only one past the timeout is.
  if ! "$build/fuzz/$target" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT_S:-30}" -seed="${FUZZ_SEED:-1}" \
       -report_slow_units="${FUZZ_TIMEOUT_S:-30}" \
       -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 "${extra[@]}" \
       -artifact_prefix="$build/artifacts/$target-" "$corpus" "$build/seeds/$target" \
       > "$build/$target.log" 2>&1 ||
     [ "$(ls "$build/artifacts" | grep -c "^$target-" || true)" != "$found_before" ]; then
    echo "fuzz: $target FAILED; log $build/$target.log, input in $build/artifacts/"
    grep -E "ERROR|runtime error|SUMMARY|#[0-9]+ 0x|Test unit written" "$build/$target.log" | head -30
    failed+=("$target")
  else
    grep -E "stat::number_of_executed_units|cov: " "$build/$target.log" | tail -2
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

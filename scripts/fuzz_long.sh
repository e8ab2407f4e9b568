#!/usr/bin/env bash
# Long fuzzing on demand: runs every fuzz target (or those named) until it has used CPU_MINUTES
# of CPU time in all (default 10), measured from /proc/PID/stat (utime + stime), not wall time,
# so a run on a busy shared machine still gets its full budget. At the budget the fuzzer gets
# SIGINT and stops cleanly with its final stats. The CPU time is counted across runs
# (build/fuzz-long/state/): `fuzz_long.sh 2` then `fuzz_long.sh 10` gives each target 10
# CPU-minutes in all, and an interrupted campaign goes on where it stopped; FUZZ_LONG_FRESH=1
# starts the count (and the logs) again. Runs under `nice -n 19`, at most
# FUZZ_LONG_SLOTS (default 2) targets at once, on the corpora of scripts/fuzz.sh
# (build/fuzz/corpus/, kept between runs). A crash, leak, UB report or timeout leaves its input
# in build/fuzz-long/artifacts/ and the target goes on with its remaining budget (up to 3 findings).
#   scripts/fuzz_long.sh [CPU_MINUTES] [TARGET...]
# Logs: build/fuzz-long/<target>.log (every libFuzzer start, appended), summary.tsv (per target,
# over all runs: CPU minutes, wall minutes, executions, coverage, features, new units, findings).
# Exit 1 on a finding.
# Environment: FUZZ_SKIP_BUILD=1 (use build/fuzz as is), FUZZ_TIMEOUT_S (one input, default 60:
# wall time, and a niced process on a busy machine is slow), FUZZ_SEED (first seed, default 7),
# FUZZ_LONG_MAX_WALL_MIN (stop a target after this many wall minutes as well; default none).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
cpu_minutes="${1:-10}"
[ $# -gt 0 ] && shift
# shellcheck source=scripts/fuzz_seeds.sh
source scripts/fuzz_seeds.sh
targets=("${@:-${FUZZ_TARGETS[@]}}")
fuzz_build="$root/build/fuzz"
out="$root/build/fuzz-long"
slots="${FUZZ_LONG_SLOTS:-2}"
ticks_per_s="$(getconf CLK_TCK)"
budget_ticks=$(awk -v m="$cpu_minutes" -v t="$ticks_per_s" 'BEGIN { printf "%d", m * 60 * t }')
max_wall_s=$(awk -v m="${FUZZ_LONG_MAX_WALL_MIN:-0}" 'BEGIN { printf "%d", m * 60 }')

build_fuzz_targets 19
[ -n "${FUZZ_LONG_FRESH:-}" ] && rm -rf "$out"
mkdir -p "$out/artifacts" "$out/state"
export_sanitizer_options

# cpu_ticks PID: utime + stime of the process (all its threads), in clock ticks; empty when gone.
cpu_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  # Fields after the ")" that closes the command name: state is 3, utime 14, stime 15.
  awk '{ print $12 + $13 }' <<< "${stat##*) }"
}

# state TARGET KEY [VALUE]: reads (prints, 0 when unset) or writes one counter of TARGET.
state() {
  local file="$out/state/$1.$2"
  if [ $# -gt 2 ]; then echo "$3" > "$file"; else cat "$file" 2>/dev/null || echo 0; fi
}

# summarize: writes summary.tsv from every target's log and counters.
summarize() {
  local target log execs new cov ft
  printf 'target\tcpu_min\twall_min\texecutions\tcoverage\tfeatures\tnew_units\tfindings\n' > "$out/summary.tsv"
  for target in "${FUZZ_TARGETS[@]}"; do
    log="$out/$target.log"
    [ -f "$log" ] || continue
    execs=$(grep -oE "stat::number_of_executed_units: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }' || true)
    new=$(grep -oE "stat::new_units_added: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }' || true)
    cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 | awk '{ print $2 }' || true)
    ft=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 | awk '{ print $4 }' || true)
    printf '%s\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\n' "$target" \
      "$(awk -v u="$(state "$target" ticks)" -v t="$ticks_per_s" 'BEGIN { print u / t / 60 }')" \
      "$(awk -v s="$(state "$target" wall_s)" 'BEGIN { print s / 60 }')" "$execs" "${cov:-?}" "${ft:-?}" "$new" \
      "$(grep -c "^== fuzz_long: exit" "$log" || true)" >> "$out/summary.tsv"
  done
}

# run_target TARGET: fuzzes TARGET until it has used the budget (restarting after a finding).
run_target() {
  local target="$1" log="$out/$1.log" used findings=0 start=$SECONDS wall_before seed
  local pid ticks last_ticks rc extra=() stopped
  used=$(state "$target" ticks)
  wall_before=$(state "$target" wall_s)
  seed=$(( ${FUZZ_SEED:-7} + $( { cat "$log" 2>/dev/null || true; } | grep -c "^== fuzz_long: start" || true) ))
  [ "$used" -ge "$budget_ticks" ] && return 0
  make_seeds "$target" "$fuzz_build/seeds"
  mkdir -p "$fuzz_build/corpus/$target"
  [ "$target" = fuzz_cli_args ] && extra=(-close_fd_mask=2)
  while [ "$used" -lt "$budget_ticks" ] && [ "$findings" -lt 3 ]; do
    echo "== fuzz_long: start seed $seed, $used of $budget_ticks CPU ticks used" >> "$log"
    nice -n 19 "$fuzz_build/fuzz/$target" -timeout="${FUZZ_TIMEOUT_S:-60}" -report_slow_units="${FUZZ_TIMEOUT_S:-60}" \
      -seed="$seed" -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 "${extra[@]}" \
      -artifact_prefix="$out/artifacts/$target-" "$fuzz_build/corpus/$target" "$fuzz_build/seeds/$target" \
      >> "$log" 2>&1 &
    pid=$!
    stopped=""
    last_ticks=0
    while kill -0 "$pid" 2>/dev/null; do
      ticks="$(cpu_ticks "$pid")"
      if [ -n "$ticks" ]; then
        last_ticks="$ticks"
        state "$target" ticks $((used + ticks))
        state "$target" wall_s $((wall_before + SECONDS - start))
      fi
      if [ -n "$ticks" ] && [ -z "$stopped" ] &&
         { [ $((used + ticks)) -ge "$budget_ticks" ] ||
           { [ "$max_wall_s" -gt 0 ] && [ $((SECONDS - start)) -ge "$max_wall_s" ]; }; }; then
        kill -INT "$pid"; stopped=1
      fi
      sleep 2
    done
    rc=0; wait "$pid" || rc=$?
    used=$((used + last_ticks))
    state "$target" ticks "$used"
    state "$target" wall_s $((wall_before + SECONDS - start))
    # libFuzzer exits 72 when interrupted (-interrupted_exitcode); anything else is a finding.
    if [ -n "$stopped" ] && [ "$rc" -eq 72 ]; then break; fi
    findings=$((findings + 1)); seed=$((seed + 1))
    echo "== fuzz_long: exit $rc (a finding; input in $out/artifacts/)" >> "$log"
    [ "$max_wall_s" -gt 0 ] && [ $((SECONDS - start)) -ge "$max_wall_s" ] && break
  done
  summarize
  echo "fuzz_long: $target done: $(grep "^$target	" "$out/summary.tsv")"
}

echo "fuzz_long: ${#targets[@]} targets x $cpu_minutes CPU-minutes in all, $slots at once; logs in $out/"
running=()
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$slots" ]; do sleep 5; done
  run_target "$target" &
  running+=($!)
done
wait "${running[@]}" || true
summarize
column -t -s $'\t' "$out/summary.tsv"
if awk -F'\t' 'NR > 1 && $8 > 0 { found = 1 } END { exit !found }' "$out/summary.tsv"; then
  echo "fuzz_long: findings; inputs in $out/artifacts/"
  exit 1
fi
echo "fuzz_long: no finding"

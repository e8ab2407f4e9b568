#!/usr/bin/env bash
# Runs every golden case under CASES_DIR through the real suanli binary.
#   run_cases.sh SUANLI CASES_DIR [--update] [CASE_NAME...]
# A case directory holds:
#   cmd            the arguments after `suanli` on one line; $CASE expands to the
#                  case directory (for input files shipped with the case)
#   expected.json  or expected.txt: the exact expected stdout
#   expected_exit  the expected exit code (default 0)
#   expected_stderr_contains  optional: a line that stderr must contain
# Timings ("elapsed_s", the search line's seconds) are normalised to 0 before comparing.
set -u
suanli="$1"; cases="$2"; shift 2
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
only=("$@")
passed=0; failed=0
for dir in "$cases"/*/; do
  name="$(basename "$dir")"
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then continue; fi
  [ -f "$dir/cmd" ] || continue
  args="$(sed "s#[$]CASE#${dir%/}#g" "$dir/cmd")"
  expected_exit=0
  [ -f "$dir/expected_exit" ] && expected_exit="$(cat "$dir/expected_exit")"
  out="$(mktemp)"; err="$(mktemp)"
  # shellcheck disable=SC2086
  (cd "$dir" && eval "\"$suanli\" $args") >"$out" 2>"$err"
  code=$?
  # Wall-clock timings are the only non-deterministic output: normalise them.
  sed -i -E 's/("elapsed_s": )[0-9.eE+-]+/\10/' "$out"
  # The search line's seconds ("... fit in memory) in 0.1 s", zh "用时 0.1 s") likewise.
  sed -i -E 's/(fit in memory\) in |显存放得下），用时 )[0-9]+\.[0-9] s/\10.0 s/' "$out"
  expected_file="$dir/expected.json"
  [ -f "$expected_file" ] || expected_file="$dir/expected.txt"
  ok=1
  if [ "$update" = 1 ]; then
    cp "$out" "$expected_file"; echo "$code" > "$dir/expected_exit"
  else
    if [ "$code" != "$expected_exit" ]; then
      echo "FAIL $name: exit $code, expected $expected_exit"; sed 's/^/  stderr: /' "$err" | head -5; ok=0
    fi
    if [ -f "$expected_file" ] && ! diff -u "$expected_file" "$out" > "$out.diff"; then
      echo "FAIL $name: stdout differs from $(basename "$expected_file")"; head -40 "$out.diff"; ok=0
    fi
    if [ -f "$dir/expected_stderr_contains" ] && ! grep -qF -- "$(cat "$dir/expected_stderr_contains")" "$err"; then
      echo "FAIL $name: stderr lacks: $(cat "$dir/expected_stderr_contains")"; sed 's/^/  stderr: /' "$err" | head -5; ok=0
    fi
  fi
  rm -f "$out" "$err" "$out.diff"
  if [ "$ok" = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "golden cases: $passed passed, $failed failed"
[ "$failed" = 0 ]

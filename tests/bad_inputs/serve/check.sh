#!/usr/bin/env bash
# Runs every hostile file in this folder through `suanli serve` (ctest: serve_bad_inputs):
# serving-runs-* with `serve --validate FILE`, trace-* with `serve ... --trace FILE`. Each must
# exit 2 within 20 s, print exactly one line on stderr, and that line must name the file and
# contain the text expected.txt gives for it (`<file> | <text>`); a file without a line there,
# or a line without its file, fails.
#   tests/bad_inputs/serve/check.sh PATH/TO/suanli     (SUANLI_PRINT_BAD_INPUTS=1 prints each line)
set -uo pipefail
export LC_ALL=C  # English messages, as expected.txt holds them
suanli="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "$0")"
trace_run=(serve --model llama-3-8b --accel h100-sxm-80gb --gpus 1 --requests 20 --input-len 100 --output-len 20)
failed=0 checked=0
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
for file in serving-runs-*.csv trace-*.csv; do
  checked=$((checked + 1))
  case "$file" in
    serving-runs-*) args=(serve --validate "$file") ;;
    *) args=("${trace_run[@]}" --trace "$file") ;;
  esac
  err="$(timeout 20 "$suanli" "${args[@]}" 2>&1 >/dev/null)"
  rc=$?
  [ -n "${SUANLI_PRINT_BAD_INPUTS:-}" ] && echo "$file | $err"
  want="$(grep -F "$file | " expected.txt | head -n 1 | sed 's/^[^|]*| //')"
  if [ "$rc" -eq 124 ]; then fail "$file" "no answer within 20 s"; continue; fi
  [ "$rc" -eq 2 ] || fail "$file" "exit $rc, expected 2: $err"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$file" "more than one line: $err"
  [[ "$err" == *"$file"* ]] || fail "$file" "the file is not named: $err"
  if [ -z "$want" ]; then fail "$file" "no line in expected.txt"; continue; fi
  [[ "$err" == *"$want"* ]] || fail "$file" "expected '$want' in: $err"
done
while IFS= read -r line; do
  name="${line%% | *}"
  [[ -z "$line" || "$line" == \#* ]] && continue
  [ -f "$name" ] || fail "$name" "named in expected.txt but missing"
done < expected.txt
echo "serve bad inputs: $checked files, $failed failures"
[ "$failed" -eq 0 ]

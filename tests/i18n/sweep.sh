#!/usr/bin/env bash
# The Chinese-completeness sweep (issue #15): runs every command line of
# tests/i18n/commands.txt with `--lang zh` and SUANLI_I18N_CHECK=1 and fails on
#   1. any string that went through Tr() without a Chinese entry (suanli exits 3
#      and prints `i18n-missing: ...` on stderr), and
#   2. English text that never went through Tr(): a run of 3 or more English
#      words, at least one of them a common function word (english_words.txt),
#      on stdout or stderr (see english_check.awk). A run is allowed when it is
#      quoted from the data (data/ without data/i18n/, examples/, bench/device/:
#      the files the commands read), or inside a phrase of allowlist.txt.
# Every failure is listed at the end: each missing string and each English
# line once, with the first command that printed it. docs/reports.md explains
# the heuristic and when to add to the allowlist.
#   tests/i18n/sweep.sh SUANLI [-v]     (-v: also print each command's status)
# Exit 0 = complete, 1 = something is untranslated or a command failed.
# SWEEP_KEEP=1 keeps the outputs in the temporary folder (its path is printed).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
suanli="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
verbose=0
[ "${2:-}" = "-v" ] && verbose=1
work="$(mktemp -d)"
trap '[ -n "${SWEEP_KEEP:-}" ] && echo "outputs kept in $work" || rm -rf "$work"' EXIT
store="$work/store.db"

# The corpus of quotable data, normalised (lower case, words separated by one space).
find "$repo/data" "$repo/examples" "$repo/bench/device" -type f \
     \( -name '*.yaml' -o -name '*.csv' -o -name '*.json' \) -not -path '*/data/i18n/*' -print0 |
  xargs -0 cat | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' ' ' | tr -s ' ' > "$work/corpus.txt"
echo >> "$work/corpus.txt"

cd "$repo" || exit 1
# run_one I: runs command I into $work/I.{out,err,code}.
run_one() {
  local args
  read -ra args <<< "${lines[$1]}"
  SUANLI_I18N_CHECK=1 NO_COLOR=1 COLUMNS=100 "$suanli" "${args[@]}" --lang zh \
    > "$work/$1.out" 2> "$work/$1.err" < /dev/null
  echo $? > "$work/$1.code"
}
lines=(); expect=()
while IFS= read -r line || [ -n "$line" ]; do
  [[ -z "${line// }" || "$line" == \#* ]] && continue
  expected=""
  if [[ "$line" == !* ]]; then expected="${line%% *}"; expected="${expected#!}"; line="${line#* }"; fi
  lines+=("${line//\$STORE/$store}"); expect+=("$expected")
done < "$here/commands.txt"
n=${#lines[@]}
# The commands on $STORE run in order, one after the other; the rest side by side.
( for i in "${!lines[@]}"; do [[ "${lines[$i]}" == *"$store"* ]] && run_one "$i"; done ) &
jobs_max="$(nproc)"
for i in "${!lines[@]}"; do
  [[ "${lines[$i]}" == *"$store"* ]] && continue
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
  run_one "$i" &
done
wait

: > "$work/missing.txt"; : > "$work/outputs.txt"; : > "$work/errors.txt"
for i in "${!lines[@]}"; do
  line="${lines[$i]}"; expected="${expect[$i]}"; code="$(cat "$work/$i.code")"
  grep '^i18n-missing: ' "$work/$i.err" | sed 's/^i18n-missing: //' | sed "s#\$#\t$line#" >> "$work/missing.txt"
  grep -v '^i18n-missing: ' "$work/$i.err" > "$work/err.text"
  { printf '\001 %s\n' "$line"; cat "$work/$i.out" "$work/err.text"; } >> "$work/outputs.txt"
  status="ok"
  if [ "$code" = 3 ]; then
    status="missing translations"
  elif [ -n "$expected" ] && [ "$code" != "$expected" ]; then
    status="exit $code, expected $expected"
  elif [ -z "$expected" ] && [ "$code" != 0 ] && [ "$code" != 1 ]; then
    status="exit $code"
  fi
  if [ "$status" != "ok" ] && [ "$status" != "missing translations" ]; then
    printf '%s: %s\n    %s\n' "$line" "$status" "$(head -2 "$work/err.text" | tr '\n' ' ')" >> "$work/errors.txt"
  fi
  [ "$verbose" = 1 ] && printf '%-24s %s\n' "$status" "$line"
done

awk -f "$here/english_check.awk" "$here/english_words.txt" "$here/allowlist.txt" "$work/corpus.txt" \
    "$work/outputs.txt" > "$work/english.txt"
missing_count=$(cut -f1 "$work/missing.txt" | sort -u | grep -c . || true)
english_count=$(cut -f1 "$work/english.txt" | sort -u | grep -c . || true)
error_count=$(grep -c '^[^ ]' "$work/errors.txt" || true)
if [ "$missing_count" -gt 0 ]; then
  echo "== strings without a Chinese entry (data/i18n/zh/*.yaml), with the first command that printed each:"
  sort -t$'\t' -k1,1 -u "$work/missing.txt" | awk -F'\t' '{ printf "  %s\n      <- suanli %s --lang zh\n", $1, $2 }'
fi
if [ "$english_count" -gt 0 ]; then
  echo "== English printed under --lang zh that never went through Tr() (3+ English words, not quoted from data):"
  sort -t$'\t' -k1,1 -u "$work/english.txt" | awk -F'\t' '{ printf "  %s\n      <- suanli %s --lang zh\n", $1, $2 }'
fi
if [ "$error_count" -gt 0 ]; then
  echo "== commands that did not run as listed in tests/i18n/commands.txt:"
  cat "$work/errors.txt"
fi
echo "i18n sweep: $n commands; $missing_count strings without a translation, $english_count untranslated English lines, $error_count commands failed"
[ "$missing_count" = 0 ] && [ "$english_count" = 0 ] && [ "$error_count" = 0 ]

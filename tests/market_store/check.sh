#!/usr/bin/env bash
# The quote store through the real binary:
#  1. a fresh store's `market export` imports into another fresh store (every
#     row a seed row, skipped) and the second store exports the same bytes;
#  3. (session 21) a store made with `init --no-seed` holds no seed quote; a
#     bad `add` value is refused (exit 2, naming the flag), a good `add` with
#     every whole-number field exports and imports into another own store, and
#     `remove` deletes it;
#  2. six `market init`s at once on a missing --db leave one whole seeded store
#     (each builds its store aside and renames it in place, so the last rename
#     wins and more than one may report "created"; no temporary file is left), and
#     six `market add`s at once on it all succeed, the store then holding each
#     added quote once. (Since session 22 a verb other than `init` refuses a
#     missing --db instead of creating it.)
#   check.sh SUANLI
set -u
suanli="$1"
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
fail=0

"$suanli" market --db "$dir/f1.db" init > /dev/null || { echo "FAIL: init"; exit 1; }
"$suanli" market --db "$dir/f2.db" init > /dev/null || { echo "FAIL: init"; exit 1; }
"$suanli" market --db "$dir/f1.db" export --format csv > "$dir/fresh.csv" || { echo "FAIL: export"; exit 1; }
if ! "$suanli" market --db "$dir/f2.db" import "$dir/fresh.csv" > "$dir/import.txt" 2>&1; then
  echo "FAIL: a fresh store's export does not import into a fresh store:"; head -5 "$dir/import.txt"; fail=1
fi
"$suanli" market --db "$dir/f2.db" export --format csv > "$dir/again.csv"
cmp -s "$dir/fresh.csv" "$dir/again.csv" || { echo "FAIL: export -> import -> export changed the file"; fail=1; }

pids=()
for i in 1 2 3 4 5 6; do
  "$suanli" market --db "$dir/d.db" init > "$dir/init$i.txt" 2>&1 &
  pids+=("$!")
done
created=0
for pid in "${pids[@]}"; do wait "$pid" && created=$((created + 1)); done
[ "$created" -ge 1 ] || { echo "FAIL: none of six concurrent inits created the store"; fail=1; }
"$suanli" market --db "$dir/d.db" check > /dev/null || { echo "FAIL: concurrent inits left a damaged store"; fail=1; }
pids=()
for i in 1 2 3 4 5 6; do
  "$suanli" market --db "$dir/d.db" add --id "z$i" --sku h100 --price 2.5 --currency USD --unit gpu-hour \
    --channel cloud --supplier "Cloud $i" --observed 2026-11-01 --source test > "$dir/add$i.txt" 2>&1 &
  pids+=("$!")
done
for i in 1 2 3 4 5 6; do
  if ! wait "${pids[$((i - 1))]}"; then echo "FAIL: concurrent add z$i:"; head -3 "$dir/add$i.txt"; fail=1; fi
done
n="$("$suanli" market --db "$dir/d.db" export --format csv | grep -c '^z[1-6],')"
[ "$n" = 6 ] || { echo "FAIL: the store holds $n of the 6 added quotes"; fail=1; }
ls "$dir" | grep -q '\.new-' && { echo "FAIL: temporary store files left behind"; fail=1; }

"$suanli" market --db "$dir/own.db" init --no-seed > /dev/null || { echo "FAIL: init --no-seed"; fail=1; }
n="$("$suanli" market --db "$dir/own.db" export --format csv | tail -n +2 | wc -l)"
[ "$n" = 0 ] || { echo "FAIL: a --no-seed store holds $n quotes"; fail=1; }
add=(market --db "$dir/own.db" add --sku a800 --price 80000 --supplier "My reseller" --observed 2024-03-01
     --source "phone quote" --min-order 8 --net-days 30 --warranty-months 12 --buyers "startup;企业")
"$suanli" "${add[@]}" --id bad --quantity -5 > "$dir/bad.txt" 2>&1
rc=$?
{ [ "$rc" = 2 ] && grep -q -- '--quantity' "$dir/bad.txt"; } || { echo "FAIL: add --quantity -5 (exit $rc)"; fail=1; }
"$suanli" "${add[@]}" --id mine --quantity 16 > /dev/null 2>&1 || { echo "FAIL: a good add"; fail=1; }
"$suanli" market --db "$dir/own.db" export --format csv > "$dir/own.csv"
"$suanli" market --db "$dir/own2.db" init --no-seed > /dev/null
if ! "$suanli" market --db "$dir/own2.db" import "$dir/own.csv" > "$dir/own-import.txt" 2>&1; then
  echo "FAIL: an added quote's export does not import:"; head -5 "$dir/own-import.txt"; fail=1
fi
"$suanli" market --db "$dir/own2.db" export --format csv | cmp -s - "$dir/own.csv" ||
  { echo "FAIL: add -> export -> import -> export changed the file"; fail=1; }
"$suanli" market --db "$dir/own.db" remove mine > /dev/null || { echo "FAIL: remove"; fail=1; }
n="$("$suanli" market --db "$dir/own.db" export --format csv | tail -n +2 | wc -l)"
[ "$n" = 0 ] || { echo "FAIL: remove left $n quotes"; fail=1; }

[ "$fail" = 0 ] && echo "market store checks passed"
exit "$fail"

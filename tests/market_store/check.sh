#!/usr/bin/env bash
# The quote store through the real binary:
#  1. a fresh store's `market export` imports into another fresh store (every
#     row a seed row, skipped) and the second store exports the same bytes;
#  2. six `market add`s at once on a missing --db all succeed, and the store
#     then holds each added quote once.
#   check.sh SUANLI
set -u
suanli="$1"
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
fail=0

"$suanli" market --db "$dir/f1.db" export --format csv > "$dir/fresh.csv" || { echo "FAIL: export"; exit 1; }
if ! "$suanli" market --db "$dir/f2.db" import "$dir/fresh.csv" > "$dir/import.txt" 2>&1; then
  echo "FAIL: a fresh store's export does not import into a fresh store:"; head -5 "$dir/import.txt"; fail=1
fi
"$suanli" market --db "$dir/f2.db" export --format csv > "$dir/again.csv"
cmp -s "$dir/fresh.csv" "$dir/again.csv" || { echo "FAIL: export -> import -> export changed the file"; fail=1; }

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

[ "$fail" = 0 ] && echo "market store checks passed"
exit "$fail"

#!/usr/bin/env bash
# One answer everywhere (issue #12): `fit`, `compare` and `plan` give the same
# fewest cards that fit, for each model × accelerator pair below, through the
# real binary and its JSON (aquila-7b on the Hygon Z100L, which has fp16 but no
# bf16: each trains and counts at fp16) (fit: min_gpus_to_fit; compare: the candidate's
# min_gpus_to_fit; plan: the workload's min_cards_to_fit over scenario.yaml).
#   check.sh SUANLI
set -u
suanli="$1"
here="$(cd "$(dirname "$0")" && pwd)"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
plan_json="$(mktemp)"
trap 'rm -f "$plan_json"' EXIT
"$suanli" plan "$here/scenario.yaml" --json -q > "$plan_json" || { echo "FAIL: plan exited $?"; exit 1; }
failed=0
for pair in llama-2-70b:ascend-910b llama-2-70b:a100-sxm-40gb llama-2-70b:rtx-4090 \
            llama-2-13b:rtx-4090 llama-2-13b:a100-sxm-40gb llama-2-13b:ascend-910b \
            aquila-7b:hygon-z100l; do
  model="${pair%%:*}"; accel="${pair#*:}"
  fit="$("$suanli" fit --model "$model" --accel "$accel" --gpus 8 --json -q |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["min_gpus_to_fit"])')"
  compare="$("$suanli" compare --model "$model" --reference a800-sxm-80gb:64 --candidates "$accel" --json -q |
             python3 -c 'import json,sys; print(json.load(sys.stdin)["candidates"][0]["min_gpus_to_fit"])')"
  plan="$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(next(w for w in d["workloads"] if w["model"] == sys.argv[2])["min_cards_to_fit"][sys.argv[3]])' \
          "$plan_json" "$model" "$accel")"
  if [ -n "$fit" ] && [ "$fit" = "$compare" ] && [ "$fit" = "$plan" ]; then
    echo "ok   $model on $accel: $fit cards (fit, compare, plan)"
  else
    echo "FAIL $model on $accel: fit '$fit', compare '$compare', plan '$plan'"; failed=1
  fi
done
exit "$failed"

# Sourced by scripts/fuzz.sh and scripts/fuzz_long.sh: the list of fuzz targets and the seed
# corpora built for each from examples/, data/, tests/cases/, tests/bad_inputs/, the shared
# validation CSVs (when the checkout has ../shared) and fuzz/regressions/.
# Needs `root` (the repository root, the working folder) set by the caller.

# Every libFuzzer target in fuzz/ (the `fuzz` build preset builds these).
FUZZ_TARGETS=(fuzz_scenario_yaml fuzz_model_yaml fuzz_hf_config_json fuzz_quotes_yaml fuzz_quotes_csv
              fuzz_runs_csv fuzz_serve_csv fuzz_store_import fuzz_cli_args)

# build_fuzz_targets [NICE]: configures and builds the `fuzz` preset (JOBS jobs, default
# nproc) at niceness NICE (default 0), unless FUZZ_SKIP_BUILD is set.
build_fuzz_targets() {
  [ -n "${FUZZ_SKIP_BUILD:-}" ] && return 0
  local launcher=() start=$SECONDS
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake --preset fuzz "${launcher[@]}" >/dev/null
  nice -n "${1:-0}" cmake --build --preset fuzz -j "${JOBS:-$(nproc)}"
  echo "fuzz: build took $((SECONDS - start)) s"
}

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

# quote_export_seed DIR: the seed quotes as a CSV export (header + 25 rows per piece), the
# shape `market export` writes, when build/release/suanli exists.
quote_export_seed() {
  local dir="$1" tmp
  [ -x build/release/suanli ] || return 0
  tmp="$(mktemp -d)"
  if build/release/suanli market export --format csv --db "$tmp/q.db" --output "$tmp/export.csv" >/dev/null 2>&1; then
    copy_seeds "$dir" "$tmp/export.csv"
  fi
  rm -rf "$tmp"
}

# make_seeds TARGET SEED_ROOT: fills SEED_ROOT/TARGET with the target's seeds.
make_seeds() {
  local target="$1" dir="$2/$1"
  shopt -s nullglob
  rm -rf "$dir"; mkdir -p "$dir"
  case "$target" in
    fuzz_scenario_yaml) copy_seeds "$dir" examples/*.yaml tests/cases/*/scenario*.yaml tests/bad_inputs/*.yaml \
                                      tests/bad_inputs/semantic/scenario-*.yaml tests/bad_inputs/semantic/scenario/* ;;
    fuzz_model_yaml) copy_seeds "$dir" data/models.yaml tests/cases/*/tiny-*.yaml fuzz/files/*.yaml tests/bad_inputs/*.yaml \
                                   tests/bad_inputs/semantic/model-*.yaml ;;
    fuzz_hf_config_json) copy_seeds "$dir" examples/models/*.json tests/cases/*/config.json tests/cases/*/*/config.json fuzz/files/*.json \
                                       tests/bad_inputs/semantic/model-*.json ;;
    fuzz_quotes_yaml) copy_seeds "$dir" data/market/*.yaml tests/cases/*/quotes*.yaml tests/bad_inputs/*.yaml \
                                    tests/bad_inputs/semantic/quotes-*.yaml ;;
    fuzz_quotes_csv) copy_seeds "$dir" tests/cases/market-*/*.csv tests/bad_inputs/*.csv tests/bad_inputs/semantic/quotes-*.csv ;;
    fuzz_runs_csv) copy_seeds "$dir" data/validation/*.csv "$root"/../shared/validation/training-runs.csv \
                                 tests/cases/*/runs*.csv tests/bad_inputs/*.csv ;;
    fuzz_serve_csv) copy_seeds "$dir" "$root"/../shared/validation/serving-runs.csv tests/cases/serve-*/*.csv \
                                  tests/bad_inputs/*.csv tests/bad_inputs/semantic/serve-*.csv ;;
    fuzz_store_import) copy_seeds "$dir" tests/cases/market-*/*.csv tests/cases/market-*/*.yaml data/market/quotes.yaml \
                                     tests/bad_inputs/semantic/quotes-*
                       quote_export_seed "$dir" ;;
    fuzz_cli_args) cli_seeds "$dir" ;;
  esac
  copy_seeds "$dir" fuzz/regressions/"$target"/*
}

# export_sanitizer_options: a finding stops the fuzzer at once, with a stack trace (the caller's
# ASAN_OPTIONS/UBSAN_OPTIONS win).
export_sanitizer_options() {
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
}

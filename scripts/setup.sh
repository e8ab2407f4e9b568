#!/usr/bin/env bash
# Installs what suanli needs on Debian 12 (only what is missing; clang-14 and its libFuzzer
# runtime are for scripts/fuzz.sh), then configures and builds the Release preset. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config libfmt-dev nlohmann-json3-dev
          libyaml-cpp-dev libcli11-dev libsqlite3-dev libgtest-dev libgmock-dev
          libbenchmark-dev clang-14 libclang-rt-14-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

# Node.js and npm: Debian's packages when the machine has neither.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nodejs npm
fi
# The chart libraries inlined into HTML reports and the browser test's driver,
# exactly as web/package-lock.json pins them (no browser download: Debian's chromium).
if [ ! -f web/node_modules/.package-lock.json ] || ! cmp -s web/package-lock.json web/node_modules/.lock-copy; then
  (cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.lock-copy
fi

cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)"

#!/usr/bin/env bash
# Installs what suanli needs on Debian 12 (only what is missing; clang-14 and its libFuzzer
# runtime are for scripts/fuzz.sh), then configures and builds the Release preset. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config libfmt-dev nlohmann-json3-dev
          libyaml-cpp-dev libcli11-dev libsqlite3-dev libgtest-dev libgmock-dev
          libbenchmark-dev clang-14 libclang-rt-14-dev)
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

cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)"

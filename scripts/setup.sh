#!/usr/bin/env bash
# Installs what suanli needs on Debian 12 (only what is missing; clang-14 and its libFuzzer
# runtime are for scripts/fuzz.sh; chromium, a Chinese font and Node.js for the browser test
# of the HTML reports and its screenshots), installs the npm packages of web/ exactly as web/package-lock.json pins them,
# then configures and builds the Release preset. Safe to run again: with everything present
# it touches no network. Run it as root or as a user with sudo (apt-get runs through sudo;
# npm runs as the calling user).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config libfmt-dev nlohmann-json3-dev
          libyaml-cpp-dev libcli11-dev libsqlite3-dev libgtest-dev libgmock-dev
          libbenchmark-dev clang-14 libclang-rt-14-dev chromium fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: Debian's packages only when the machine has neither command (a Node.js
# installed otherwise, e.g. a newer one, is kept).
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || { echo "setup: run as root, or install sudo, to install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# The chart libraries inlined into HTML reports and the browser test's driver, exactly as
# web/package-lock.json pins them (no browser download: Debian's chromium). Installed again
# only when the lock file changed since the last install.
if [ ! -f web/node_modules/.package-lock.json ] || ! cmp -s web/package-lock.json web/node_modules/.lock-copy; then
  (cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.lock-copy
fi

launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset release "${launcher[@]}" > /dev/null
cmake --build --preset release -j "$(nproc)"

#!/usr/bin/env bash
# Set-up as scripts/setup.sh, then runs every test (unit + golden CLI cases).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --preset release -j "$(nproc)"

#!/usr/bin/env bash
# Quick start: installs what is missing, builds inkpack, and writes the book of its built-in
# sample article into dist/. Works offline once the packages are installed.
#   scripts/build.sh [INKPACK ARGUMENTS]   without arguments: inkpack --sample
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target inkpack
[[ $# -gt 0 ]] || set -- --sample
./build/inkpack "$@"

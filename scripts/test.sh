#!/usr/bin/env bash
# Builds inkpack and runs every test (unit, end-to-end with EPUBCheck and MuPDF, CLI); then the
# same suite built with AddressSanitizer and UndefinedBehaviorSanitizer; then each libFuzzer
# harness for a while from its seed corpus (scripts/fuzz.sh). About 25 minutes on 2 cores.
#   scripts/test.sh [--quick]      --quick: the first suite only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINKPACK_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
[[ "${1:-}" == "--quick" ]] && exit 0

# The render test reads books with outside engines (MuPDF, calibre, Chromium, Ace); under ASan it
# would only test them again, slowly.
echo "== the suite again under ASan and UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DINKPACK_TESTS=ON \
  -DCMAKE_CXX_FLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" --label-exclude render

echo "== fuzzing"
scripts/fuzz.sh "${INKPACK_FUZZ_SECONDS:-45}"

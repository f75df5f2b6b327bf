#!/usr/bin/env bash
# Builds the libFuzzer harnesses in fuzz/ with clang 16 (ASan+UBSan) and runs each for SECONDS
# (default 60), starting from the seed corpora in fuzz/corpus/. New inputs that reach new code go
# to build-fuzz/corpus/ (not the repository); a crash leaves build-fuzz/crash-* and fails.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]      harnesses: markdown html image check (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=(markdown html image check)
scripts/install-deps.sh --fuzz
CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINKPACK_FUZZ=ON \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${harnesses[@]/#/fuzz_}"
for harness in "${harnesses[@]}"; do
  mkdir -p "build-fuzz/corpus/$harness"
  echo "fuzz_$harness: ${seconds}s"
  # -rss_limit_mb: an input may not make inkpack hold more than this (bounded memory is a goal).
  # The article fixtures of the tests seed both article harnesses too.
  seeds=("../fuzz/corpus/$harness")
  [[ $harness == markdown || $harness == html ]] && seeds+=(../tests/fixtures/articles)
  (cd build-fuzz && "./fuzz_$harness" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=20 \
     -print_final_stats=1 "corpus/$harness" "${seeds[@]}" 2>&1 | tail -n 12)
done

#!/usr/bin/env bash
# Installs what inkpack needs from Debian 12's packages, and only what is missing, so it is cheap to
# run on every build. `--test` adds the tools the test suite checks books with, `--bench` the
# tools bench/run.sh compares against, `--fuzz` clang 16 with libFuzzer for scripts/fuzz.sh.
set -euo pipefail

build_pkgs=(cmake make g++ pkg-config libcpp-httplib-dev libqrencode-dev libyaml-cpp-dev libtomlplusplus-dev libzip-dev libtinyxml2-dev libstb-dev libcli11-dev libmd4c-dev libcurl4-openssl-dev libwebp-dev libpng-dev libjpeg62-turbo-dev libxxhash-dev zlib1g-dev libgumbo-dev libharfbuzz-dev fonts-lxgw-wenkai)
# The reading engines books are checked with: MuPDF, calibre, and Chromium for the web readers
# (epub.js) and Ace by DAISY in tests/web (from npm); fonts-noto-cjk for --font noto-*; for inkpack
# serve, curl, zbar-tools (the QR codes read back) and python3-feedparser (the OPDS catalog).
test_pkgs=(catch2 epubcheck mupdf-tools unzip python3 calibre chromium fonts-noto-cjk curl zbar-tools python3-feedparser iproute2)
bench_pkgs=(pandoc calibre time curl unzip)
fuzz_pkgs=(clang-16 libclang-rt-16-dev)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")
# Debian's node and npm only where there is no node: NodeSource's nodejs bundles npm and
# conflicts with Debian's npm package.
[[ "${1:-}" == "--test" ]] && ! command -v node >/dev/null && want+=(nodejs npm)
[[ "${1:-}" == "--bench" ]] && want+=("${bench_pkgs[@]}")
[[ "${1:-}" == "--fuzz" ]] && want+=("${fuzz_pkgs[@]}")

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

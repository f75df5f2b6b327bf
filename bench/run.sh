#!/usr/bin/env bash
# Builds the reference article with inkpack, pandoc and pandoc -> calibre side by side, its images
# served from ../shared/bench by serve.py on 127.0.0.1, and prints per tool the median wall time,
# peak RSS, book bytes and image bytes, with inkpack's ratios to pandoc.
#   bench/run.sh [--runs N] [--latency-ms N --jitter-ms N]
# Needs pandoc and calibre: scripts/install-deps.sh --bench installs them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
corpus=$top/../shared/bench
runs=5
serve_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --latency-ms|--jitter-ms) serve_args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -d $corpus ]] || { echo "no benchmark corpus at $corpus" >&2; exit 1; }
for tool in pandoc ebook-convert /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps.sh --bench" >&2; exit 1; }
done
inkpack=$top/build/inkpack
[[ -x $inkpack ]] || { echo "build inkpack first (scripts/build.sh)" >&2; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$corpus/serve.py" "$port" --quiet "${serve_args[@]}" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/__stats" >/dev/null && break; sleep 0.1; done
sh "$corpus/make-local-article.sh" "$port" "$corpus/article.md" "$work/article.md" 2>/dev/null

# measure NAME SETUP COMMAND...: runs COMMAND $runs times (SETUP before each, untimed) and
# prints NAME, median seconds, median peak RSS (MB), book bytes, image bytes.
measure() {
  local name=$1 setup=$2; shift 2
  local times=() rss=()
  for _ in $(seq "$runs"); do
    eval "$setup"
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1
    read -r t m < "$work/time"
    times+=("$t"); rss+=("$m")
  done
  local book=$work/$name.epub
  local images
  images=$(unzip -l "$book" | awk '$4 ~ /\.(png|jpe?g|gif|webp)$/ {s += $1} END {print s + 0}')
  printf '%s %s %s %s %s\n' "$name" \
    "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')" \
    "$(stat -c %s "$book")" "$images"
}

cd "$work"
{
  measure inkpack-cold "rm -rf $work/cache" "$inkpack" -q --cache "$work/cache" article.md -o inkpack-cold.epub
  measure inkpack-warm ":" "$inkpack" -q --cache "$work/cache" article.md -o inkpack-warm.epub
  measure pandoc ":" pandoc article.md -o pandoc.epub
  measure calibre ":" sh -c "pandoc --self-contained article.md --metadata title=article -o article.html && ebook-convert article.html calibre.epub"
} > results.txt

awk -v latency="${serve_args[*]:-none}" '
  { t[$1] = $2; m[$1] = $3; b[$1] = $4; i[$1] = $5; order[NR] = $1 }
  END {
    printf "latency: %s; median of '"$runs"' runs\n", latency
    printf "%-13s %9s %9s %12s %12s\n", "tool", "wall s", "RSS MB", "book bytes", "image bytes"
    for (n = 1; n <= NR; n++) { k = order[n]; printf "%-13s %9.2f %9d %12d %12d\n", k, t[k], m[k], b[k], i[k] }
    printf "ratios to pandoc: cold %.2fx, warm %.2fx, RSS %.2fx, book %.2fx\n",
      t["inkpack-cold"] / t["pandoc"], t["inkpack-warm"] / t["pandoc"], m["inkpack-cold"] / m["pandoc"],
      b["inkpack-cold"] / b["pandoc"]
  }' results.txt

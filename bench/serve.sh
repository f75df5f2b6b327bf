#!/usr/bin/env bash
# inkpack serve under load (issue 16): the reference article's book (about 3 MB, its images from
# ../shared/bench served locally) downloaded by 1, 10 and 50 curl clients at once from
# 127.0.0.1; every copy must be byte-identical. Prints per client count the median wall time,
# the throughput and the server's peak memory (VmHWM of a fresh server: before any download,
# and after them) — the memory must stay flat as clients are added.
#   bench/serve.sh [--runs N] [--inkpack BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
corpus=$top/../shared/bench
runs=3
inkpack=$top/build/inkpack
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --inkpack) inkpack=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f $corpus/article.md ]] || { echo "no benchmark corpus at $corpus" >&2; exit 1; }
[[ -x $inkpack ]] || { echo "build inkpack first (scripts/build.sh)" >&2; exit 1; }
export no_proxy="127.0.0.1,localhost" NO_PROXY="127.0.0.1,localhost"

work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$corpus/serve.py" "$port" --quiet >/dev/null 2>&1 &
images=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/__stats" && break; sleep 0.1; done
sh "$corpus/make-local-article.sh" "$port" "$corpus/article.md" "$work/article.md" 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 "$inkpack" -q --no-cache "$work/article.md" -o "$work/book.epub"
kill $images
size=$(stat -c %s "$work/book.epub")
(( size > 2000000 )) || { echo "the book is $size bytes: its images did not come" >&2; exit 1; }
echo "book: $size bytes; $runs runs per client count (median)"

hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }   # kB

# one_run CLIENTS: prints "seconds hwm_before_kB hwm_after_kB"
one_run() {
  local clients=$1 url start end before pids=()
  "$inkpack" serve "$work/book.epub" --bind 127.0.0.1 --port 0 -q >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 100); do url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' "$work/out" | head -1) && [[ -n $url ]] && break; sleep 0.05; done
  curl -sf -o /dev/null "$url" || { echo "no server: $(cat "$work/err")" >&2; exit 1; }  # the page: the catalog is warm
  before=$(hwm $server)
  rm -rf "$work/got"; mkdir "$work/got"
  start=$(date +%s.%N)
  for i in $(seq "$clients"); do curl -sf -o "$work/got/$i.epub" "${url}books/book.epub" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || { echo "a download failed" >&2; exit 1; }; done
  end=$(date +%s.%N)
  for i in $(seq "$clients"); do cmp -s "$work/got/$i.epub" "$work/book.epub" || { echo "copy $i of $clients differs" >&2; exit 1; }; done
  echo "$(echo "$end - $start" | bc) $before $(hwm $server)"
  kill -INT $server; wait $server || true
  server=
}

printf '%-8s %10s %12s %16s %16s\n' clients "wall (s)" "MB/s" "VmHWM before" "VmHWM after"
for clients in 1 10 50; do
  results=()
  for _ in $(seq "$runs"); do results+=("$(one_run "$clients")"); done
  median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  read -r seconds before after <<<"$median"
  printf '%-8s %10.3f %12.1f %13.1f MB %13.1f MB\n' "$clients" "$seconds" \
    "$(echo "$clients * $size / 1000000 / $seconds" | bc -l)" "$(echo "$before / 1024" | bc -l)" "$(echo "$after / 1024" | bc -l)"
done
echo "all copies byte-identical"

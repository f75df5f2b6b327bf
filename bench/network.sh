#!/usr/bin/env bash
# How long a build takes when images cannot be had, against issue 12's targets: the reference
# article with no network at all (a network namespace of its own: needs root, else the machine's
# network is used), 5,000 images on a host that does not resolve, one server that never answers
# and one that trickles 2 KB/s (both tests/fixtures/http_server.py on 127.0.0.1, at the default
# deadline). Prints per case the median wall time, the target and the book's warnings.
#   bench/network.sh [--runs N] [--cap SECONDS] [--inkpack BINARY]
# A run past --cap (default 120 s) is stopped and shown as ">CAP".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
seed=$top/../shared/seed/000_0a39d42c6e4d68c6.txt
runs=3
cap=120
inkpack=$top/build/inkpack
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --cap) cap=$2; shift 2 ;;
    --inkpack) inkpack=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f $seed ]] || { echo "no reference article at $seed" >&2; exit 1; }
[[ -x $inkpack ]] || { echo "build inkpack first (scripts/build.sh)" >&2; exit 1; }

work=$(mktemp -d)
coproc server { exec python3 "$top/tests/fixtures/http_server.py"; }
server_pid=$server_PID
trap 'kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
read -r port <&"${server[0]}"

no_network=()
unshare -n true 2>/dev/null && no_network=(unshare -n)

for i in $(seq 5000); do printf '![](http://images.example.invalid/%d.png)\n\n' "$i"; done > "$work/unresolvable.md"
printf '# Stalled\n\n![](http://127.0.0.1:%d/silent.png)\n' "$port" > "$work/stalled.md"
printf '# Trickle\n\n![](http://127.0.0.1:%d/trickle.png)\n' "$port" > "$work/trickle.md"

# measure NAME TARGET RUNS COMMAND...: runs COMMAND RUNS times (each stopped at $cap seconds) and
# prints NAME, the median wall seconds (">CAP" if stopped), TARGET and the last run's warnings.
measure() {
  local name=$1 target=$2 n=$3; shift 3
  local times=() status
  for _ in $(seq "$n"); do
    status=0
    /usr/bin/time -f '%e' -o "$work/time" timeout "$cap" "$@" -o "$work/$name.epub" >/dev/null 2>"$work/$name.err" ||
      status=$?
    if [[ $status -eq 124 ]]; then times+=(">$cap"); else times+=("$(tail -1 "$work/time")"); fi
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-22s %8s s   target %s\n' "$name" "$median" "$target"
  grep -m 3 'warning:' "$work/$name.err" | cut -c 1-150 | sed 's/^/    /' || true
  local more
  more=$(grep -c 'warning:' "$work/$name.err" || true)
  [[ $more -gt 3 ]] && echo "    … $more warning lines in all"
  return 0
}

echo "inkpack: $inkpack ($("$inkpack" --version)); median of $runs runs (1 for the slow servers)"
measure offline-article "<= 1 s" "$runs" "${no_network[@]}" "$inkpack" --no-cache "$seed"
measure unresolvable-5000 "<= 5 s" "$runs" "$inkpack" --no-cache "$work/unresolvable.md"
measure stalled-server "<= deadline + 1 s" 1 "$inkpack" --no-cache "$work/stalled.md"
measure trickle-2KBps "<= deadline + 1 s" 1 "$inkpack" --no-cache "$work/trickle.md"

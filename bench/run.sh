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
# prints NAME, median seconds, median peak RSS (MB), book bytes, image bytes, median CPU use
# (100% is one core busy).
measure() {
  local name=$1 setup=$2; shift 2
  local times=() rss=() cpu=()
  for _ in $(seq "$runs"); do
    eval "$setup"
    /usr/bin/time -f '%e %M %P' -o "$work/time" "$@" >/dev/null 2>&1
    read -r t m c < "$work/time"
    times+=("$t"); rss+=("$m"); cpu+=("${c%\%}")
  done
  local book=$work/$name.epub
  local images
  images=$(unzip -l "$book" | awk '$4 ~ /\.(png|jpe?g|gif|webp)$/ {s += $1} END {print s + 0}')
  printf '%s %s %s %s %s %s\n' "$name" \
    "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')" \
    "$(stat -c %s "$book")" "$images" \
    "$(printf '%s\n' "${cpu[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
}

cd "$work"
{
  measure inkpack-cold "rm -rf $work/cache" "$inkpack" -q --cache "$work/cache" article.md -o inkpack-cold.epub
  measure inkpack-warm ":" "$inkpack" -q --cache "$work/cache" article.md -o inkpack-warm.epub
  measure pandoc ":" pandoc article.md -o pandoc.epub
  measure calibre ":" sh -c "pandoc --self-contained article.md --metadata title=article -o article.html && ebook-convert article.html calibre.epub"
} > results.txt

awk -v latency="${serve_args[*]:-none}" '
  { t[$1] = $2; m[$1] = $3; b[$1] = $4; i[$1] = $5; c[$1] = $6; order[NR] = $1 }
  END {
    printf "latency: %s; median of '"$runs"' runs\n", latency
    printf "%-13s %9s %9s %12s %12s %6s\n", "tool", "wall s", "RSS MB", "book bytes", "image bytes", "CPU"
    for (n = 1; n <= NR; n++) {
      k = order[n]; printf "%-13s %9.2f %9d %12d %12d %5d%%\n", k, t[k], m[k], b[k], i[k], c[k]
    }
    printf "ratios to pandoc: cold %.2fx, warm %.2fx, RSS %.2fx, book %.2fx\n",
      t["inkpack-cold"] / t["pandoc"], t["inkpack-warm"] / t["pandoc"], m["inkpack-cold"] / m["pandoc"],
      b["inkpack-cold"] / b["pandoc"]
  }' results.txt

# Every image of inkpack's book within the phone box (1080x1600)?
python3 - "$work/inkpack-cold.epub" <<'PY'
import struct, sys, zipfile
def size(b):
    if b[:8] == b"\x89PNG\r\n\x1a\n": return struct.unpack(">II", b[16:24])
    if b[:6] in (b"GIF87a", b"GIF89a"): return struct.unpack("<HH", b[6:10])
    i = 2
    while i + 9 < len(b):
        marker, length = b[i + 1], struct.unpack(">H", b[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", b[i + 5:i + 9]); return w, h
        i += 2 + length
    return 0, 0
book = zipfile.ZipFile(sys.argv[1])
# The article's pictures; the cover is made at the profile's cover size (1600x2560) on purpose.
sizes = [size(book.read(n)) for n in book.namelist() if n.startswith("EPUB/images/img-")]
outside = [s for s in sizes if s[0] > 1080 or s[1] > 1600]
print(f"inkpack's images: {len(sizes)}, largest {max(w for w, _ in sizes)} wide and {max(h for _, h in sizes)} tall, "
      f"{len(outside)} outside the 1080x1600 box")
PY

# The encoders, on the same images at the phone profile's size.
if [[ -x $top/build/inkpack-encoders ]]; then
  echo
  "$top/build/inkpack-encoders" "$corpus"/images/*
fi

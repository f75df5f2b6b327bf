#!/bin/sh
# The QR code inkpack serve prints decodes to the address it prints (issue 16): the --qr-png
# image and the terminal's half-block drawing (turned back into an image), read by zbarimg. With
# the default --bind, the address is the machine's network address, not 127.0.0.1. $1: inkpack.
B=$(realpath "$1")
T=$(mktemp -d) && cd "$T" || exit 1
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v zbarimg >/dev/null || fail "zbarimg is missing (Debian: zbar-tools); scripts/install-deps.sh --test installs it"
. "$(dirname "$0")/serve_start.sh"
"$B" -q --sample --offline -o book.epub || fail "no sample book"

start_server book.epub --qr-png qr.png
decoded=$(zbarimg -q --raw qr.png 2>/dev/null) || fail "zbarimg read no code in qr.png"
[ "$decoded" = "$url" ] || fail "qr.png says $decoded, the terminal $url"

# The drawing: every line between the address and the instructions; ▀ is a dark module over a
# light one, ▄ the reverse, █ both. Drawn back 4 pixels a module, as a PGM image.
python3 - serve.out drawing.pgm <<'PY' || fail "no drawing in the output"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rows = [l for l in lines if l and set(l) <= set(" \u2580\u2584\u2588")]
assert rows and len({len(r) for r in rows}) == 1, "the drawing's lines differ in width"
modules = []
for r in rows:
    modules.append([c in "\u2580\u2588" for c in r])
    modules.append([c in "\u2584\u2588" for c in r])
assert not any(modules[0]) and not any(modules[1]), "no quiet zone above"
scale = 4
with open(sys.argv[2], "w") as out:
    out.write(f"P2\n{len(modules[0]) * scale} {len(modules) * scale}\n255\n")
    for row in modules:
        line = " ".join(("0" if dark else "255") for dark in row for _ in range(scale))
        out.write((line + "\n") * scale)
PY
drawn=$(zbarimg -q --raw drawing.pgm 2>/dev/null) || fail "zbarimg read no code in the terminal's drawing"
[ "$drawn" = "$url" ] || fail "the drawing says $drawn, the address is $url"
stop_server

# On every interface: the address printed is a network one when the machine has one; -v lists all.
"$B" serve book.epub --port 0 -v >all.out 2>all.err &
server=$!
for _ in $(seq 100); do grep -q '^Ctrl-C' all.out && break; sleep 0.05; done
printed=$(grep -o 'http://[0-9.]*:[0-9]*/[^ ]*' all.out | head -1)
if ip -4 -o addr show scope global 2>/dev/null | grep -q inet; then
  case $printed in http://127.*|"") fail "printed '$printed' though the machine has a network address" ;; esac
  [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$printed")" = 200 ] || fail "$printed does not answer"
fi
kill -INT $server; wait $server
echo "serve_qr: all held ($url)"

#!/bin/sh
# inkpack serve as curl meets it (issue 16): a download byte-identical to the book, a Range
# request's exact slice, HEAD, the UTF-8 file name, the token, 404 for everything else, a folder
# noticing a new book, --once, Ctrl-C, and bad input. $1: the inkpack binary.
B=$(realpath "$1")
T=$(mktemp -d) && cd "$T" || exit 1
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v curl >/dev/null || fail "curl is missing (Debian: curl); scripts/install-deps.sh --test installs it"
. "$(dirname "$0")/serve_start.sh"
name='2024，7大机会.epub'
encoded='2024%EF%BC%8C7%E5%A4%A7%E6%9C%BA%E4%BC%9A.epub'
SOURCE_DATE_EPOCH=0 "$B" -q --sample --offline -o "$name" || fail "no sample book"
size=$(stat -c %s "$name")
code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }

start_server "$name"
case $url in http://127.0.0.1:*/????????/) ;; *) fail "address without a token: $url" ;; esac
token=${url%/}; token=${token##*/}; root=${url%"$token/"}

# The book, whole, with its name; a slice; HEAD.
curl -sf -D headers -o got.epub "${url}books/$encoded" || fail "download"
cmp -s got.epub "$name" || fail "the download differs from the book"
grep -qi '^Content-Type: application/epub+zip' headers || fail "Content-Type: $(cat headers)"
disposition=$(grep -i '^Content-Disposition:' headers | tr -d '\r')
[ "$disposition" = "Content-Disposition: attachment; filename=\"2024_7_.epub\"; filename*=UTF-8''$encoded" ] ||
  fail "Content-Disposition: $disposition"
saved=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1].split("UTF-8'"''"'")[1]))' "$disposition")
[ "$saved" = "$name" ] || fail "filename* decodes to $saved"
# curl -OJ reads only filename= (not filename*): the ASCII fallback, as an old client would.
mkdir saved && (cd saved && curl -sfOJ "${url}books/$encoded") && cmp -s saved/2024_7_.epub "$name" ||
  fail "curl -OJ saved $(ls saved)"
curl -sf -D headers -r 1000-1999 -o slice "${url}books/$encoded" || fail "range"
grep -q '^HTTP/1.1 206' headers && grep -qi "^Content-Range: bytes 1000-1999/$size" headers || fail "range: $(cat headers)"
tail -c +1001 "$name" | head -c 1000 | cmp -s - slice || fail "the range is not that slice"
curl -sfI "${url}books/$encoded" > headers || fail HEAD
grep -q '^HTTP/1.1 200' headers && grep -qi "^Content-Length: $size" headers || fail "HEAD: $(cat headers)"
[ "$(code -r "$size"- "${url}books/$encoded")" = 416 ] || fail "a range past the end is not 416"
[ "$(code -r 0-0,-1 "${url}books/$encoded")" = 200 ] || fail "several ranges are not the whole book"

# Without the token, or outside the books: 404.
for target in "$root" "${root}books/$encoded" "${root}xxxxxxxx/books/$encoded" "${url}books/" "${url}books/..%2f$name" \
              "${url}../" "${url}books/../../etc/passwd" "${url}%2e%2e/" "${url}books/%2e%2e" "${url}books/%2e%2e%2f%2e%2e%2fetc%2fpasswd" \
              "${url}books/%2Fetc%2Fpasswd" "${url}books/$(pwd | sed 's|/|%2F|g')%2F$encoded" "${url}books/missing.epub"; do
  [ "$(code "$target")" = 404 ] || fail "$target is not 404"
done
[ "$(code -X POST "${url}books/$encoded")" = 405 ] || fail "POST is not 405"
stop_server; [ $? -eq 0 ] || fail "Ctrl-C did not stop it cleanly (exit $?)"
grep -q "inkpack: 127.0.0.1 got $name: all $size bytes" serve.err || fail "no log line for the download: $(cat serve.err)"
grep -q 'inkpack: stopped serving' serve.err || fail "no word on stopping: $(cat serve.err)"

# A folder: a new book is served once saved into it; --open drops the token.
mkdir shelf && cp "$name" shelf/first.epub
start_server shelf --open
case $url in http://127.0.0.1:*/) ;; *) fail "--open address: $url" ;; esac
[ "$(code "${url}books/second.epub")" = 404 ] || fail "a book not yet there"
cp "$name" shelf/second.epub
curl -sf "${url}books/second.epub" | cmp -s - "$name" || fail "the new book in the folder was not served"
curl -sf "$url" | grep -q 'href="/books/second.epub"' || fail "the page does not list the new book"
stop_server

# --once: the first complete download ends it.
start_server "$name" --once
curl -sf -o once.epub "${url}books/$encoded" && cmp -s once.epub "$name" || fail "--once download"
for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server" 2>/dev/null && fail "--once did not stop after the download"
wait "$server" || fail "--once exit code $?"

# Bad input.
expect() { want=$1; shift; "$@" >bad.out 2>bad.err; got=$?; [ $got -eq "$want" ] || fail "$* gave $got, not $want: $(cat bad.err)"; }
echo "not a book" > notes.epub
expect 1 "$B" serve notes.epub --port 0
grep -q 'inkpack: error: notes.epub: not an EPUB.*serve takes EPUB books' bad.err || fail "non-EPUB: $(cat bad.err)"
mkdir empty
expect 1 "$B" serve empty --port 0; grep -q 'inkpack: error: no book to serve' bad.err || fail "empty folder: $(cat bad.err)"
expect 2 "$B" serve; grep -q 'no book given' bad.err || fail "no book: $(cat bad.err)"
expect 2 "$B" --sample --port 9000; grep -q -- '--port goes with serving' bad.err || fail "--port alone: $(cat bad.err)"
start_server "$name"
port=${url#http://127.0.0.1:}; port=${port%%/*}
expect 1 "$B" serve "$name" --bind 127.0.0.1 --port "$port"
grep -q "port $port is in use.*--port" bad.err || fail "port in use: $(cat bad.err)"
stop_server

# Build, then serve: the book just written.
printf '# Tea\n\nText.\n' > tea.md
"$B" tea.md -o tea.epub --serve --bind 127.0.0.1 --port 0 --once >serve.out 2>serve.err &
server=$!
for _ in $(seq 100); do url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' serve.out | head -1); [ -n "$url" ] && break; sleep 0.1; done
curl -sf "${url}books/tea.epub" | cmp -s - tea.epub || fail "--serve did not serve the book it built: $(cat serve.err)"
wait "$server" || fail "--serve --once exit code $?"
echo "serve_http: all held"

#!/bin/sh
# The page inkpack serve shows a phone (issue 16), in a real browser: headless Chromium at 390x844
# loads it and takes a screenshot (kept in OUTDIR/serve-page.png to look at); its language,
# headings, alt text, and links (each book's button downloads that very file, under its name;
# covers load; the OPDS catalog is linked). $1: inkpack, $2: the source tree, $3: OUTDIR.
B=$(realpath "$1"); SRC=$(realpath "$2"); mkdir -p "$3"; OUT=$(realpath "$3")
T=$(mktemp -d) && cd "$T" || exit 1
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v chromium >/dev/null || fail "chromium is missing (Debian: chromium); scripts/install-deps.sh --test installs it"
. "$SRC/tests/e2e/serve_start.sh"
mkdir books
"$B" -q --sample --offline -o 'books/2024，7大机会.epub' || fail "no sample book"
printf -- '---\ntitle: A Longer English Title That Wraps on a Phone\nauthor: Ann Lee\n---\n\n# Tea\n\nText.\n' > tea.md
"$B" -q --offline tea.md -o books/tea.epub || fail "no second book"
start_server books

rm -f "$OUT/serve-page.png"
# The project's Chromium wrapper refuses every host name; the server on 127.0.0.1 is let through.
timeout 60 "$SRC/tests/web/chromium-headless" --headless --no-proxy-server "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
  --hide-scrollbars --window-size=390,844 --screenshot="$OUT/serve-page.png" "$url" >chromium.log 2>&1
python3 - "$OUT/serve-page.png" <<'PY' || fail "Chromium took no 390x844 screenshot: $(tail -3 chromium.log)"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (390, 844) and len(data) > 10000
PY

# What the page says and where its links lead, read as a browser reads HTML.
curl -sf "$url" > page.html || fail "the page"
python3 - page.html "$url" books <<'PY' || fail "the page's content (above)"
import html.parser, os, sys, urllib.parse, urllib.request
page, base, books = sys.argv[1], sys.argv[2], sys.argv[3]
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = []; self.text = {}; self.open = None
    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs))); self.open = tag if tag in ("h1", "h2", "title") else self.open
    def handle_endtag(self, tag): self.open = None if tag == self.open else self.open
    def handle_data(self, data):
        if self.open: self.text.setdefault(self.open, []).append(data)
p = Page(); p.feed(open(page, encoding="utf-8").read())
problems = []
def check(ok, what):
    if not ok: problems.append(what)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def get(href):
    with opener.open(urllib.parse.urljoin(base, href), timeout=10) as answer:
        return answer.headers, answer.read()
html_tag = next(a for t, a in p.tags if t == "html")
check(html_tag.get("lang"), "<html> has no lang")
check(len(p.text.get("h1", [])) == 1, "not one <h1>")
check(sorted(p.text.get("h2", [])) == ["A Longer English Title That Wraps on a Phone", "山间茶事：一杯绿茶的四个季节"], f"<h2>s: {p.text.get('h2')}")
check(any(t == "meta" and a.get("name") == "viewport" for t, a in p.tags), "no viewport meta")
check(not any(t == "script" for t, _ in p.tags), "a script")
images = [a for t, a in p.tags if t == "img"]
check(len(images) == 2 and all(a.get("alt") for a in images), "covers without alt text")
for image in images:
    headers, body = get(image["src"])
    check(headers.get("Content-Type", "").startswith("image/") and body, f"{image['src']} is not an image")
downloads = [a for t, a in p.tags if t == "a" and "download" in a]
check(sorted(a["download"] for a in downloads) == sorted(os.listdir(books)), f"download names {[a['download'] for a in downloads]}")
for link in downloads:
    _, body = get(link["href"])
    check(body == open(os.path.join(books, link["download"]), "rb").read(), f"{link['href']} is not {link['download']}")
feeds = [a for t, a in p.tags if t in ("a", "link") and a.get("href", "").endswith("/opds.xml")]
check(len(feeds) == 2, "the OPDS catalog is not linked (a visible link and <link rel=alternate>)")
for f in feeds:
    headers, _ = get(f["href"])
    check(headers.get("Content-Type", "").startswith("application/atom+xml;profile=opds-catalog"), "the catalog link")
for problem in problems: print("FAIL:", problem)
sys.exit(1 if problems else 0)
PY
stop_server
echo "serve_page: all held (screenshot: $OUT/serve-page.png)"

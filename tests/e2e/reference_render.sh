#!/usr/bin/env bash
# Acceptance test on the reference article (ctest: reference_render, label render). It builds the
# book the way a user would, with the article's images served by the benchmark corpus's local
# server, then has it read by what stores and readers use: inkpack check, EPUBCheck, MuPDF at a
# phone's page size (pages, text, fonts, images), calibre, epub.js in Chromium, and Ace by DAISY.
#   tests/e2e/reference_render.sh SOURCE_DIR INKPACK OUTDIR
# SOURCE_DIR is the repository; the article and images come from SOURCE_DIR/../shared.
# OUTDIR keeps everything for a look afterwards: reference.epub, pages/page-NNN.png and
# pages/INDEX.txt (which page is the cover, a section start, an image...), the tools' reports.
# Exit 0: every check passed; 1: a check failed (all checks after the build still run, so one run
# lists every problem); 2: usage; 77: skipped, no reference article.
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: tests/e2e/reference_render.sh SOURCE_DIR INKPACK OUTDIR" >&2; exit 2; }
src="$(cd "$1" && pwd)"
seed="$src/../shared/seed/000_0a39d42c6e4d68c6.txt"
bench="$src/../shared/bench"
if [[ ! -f "$seed" ]]; then
  echo "skip: reference article not found at $seed"
  exit 77
fi
inkpack="$(realpath -m "$2")"
mkdir -p "$3"; out="$(cd "$3" && pwd)"
started=$SECONDS

failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
die() { echo "FAIL: $*" >&2; exit 1; }

# Missing tools fail the test rather than skip it: a CI machine without them would pass silently.
need=(); epubcheck_jar=/usr/share/java/epubcheck.jar
for t in "python3:python3" "unzip:unzip" "java:epubcheck" "mutool:mupdf-tools" "ebook-convert:calibre" \
         "node:nodejs" "npm:npm" "chromium:chromium"; do
  command -v "${t%%:*}" >/dev/null || need+=("${t%%:*} (Debian: ${t#*:})")
done
[[ -f "$epubcheck_jar" ]] || need+=("$epubcheck_jar (Debian: epubcheck)")
[[ -x "$inkpack" ]] || need+=("inkpack at $2")
[[ ${#need[@]} -eq 0 ]] || die "missing: ${need[*]}; scripts/install-deps.sh --test installs them"

# A previous run's results must not be mistaken for this one's.
(cd "$out" && rm -rf reference.epub reference.txt reference-mupdf.txt reference.stext reference.trace \
  article-local.md web-reader.png pages ace serve.log build.log inkpack-check.log epubcheck.log mutool.log \
  calibre.log web-check.log ace.log)

# --- a. Build, with the images from a local server ----------------------------------------------
# A free port from the kernel (a tiny race until serve.py binds it is acceptable for a test).
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 "$bench/serve.py" "$port" --quiet >"$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
# A proxy set in CI's environment must not take the loopback requests (curl and urllib honour it).
export no_proxy="127.0.0.1,localhost" NO_PROXY="127.0.0.1,localhost"
python3 - "$port" <<'PY' || die "serve.py did not answer on 127.0.0.1:$port ($(tail -1 "$out/serve.log"))"
import sys, time, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for _ in range(100):
    try:
        opener.open(f"http://127.0.0.1:{sys.argv[1]}/__stats", timeout=1); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
sh "$bench/make-local-article.sh" "$port" "$seed" "$out/article-local.md" 2>/dev/null
refs="$(grep -o "http://127\.0\.0\.1:$port/" "$out/article-local.md" | wc -l)"
[[ $refs -gt 0 ]] || die "make-local-article.sh left no image address pointing at the local server"
epub="$out/reference.epub"
SOURCE_DATE_EPOCH=1700000000 "$inkpack" --no-cache -q -o "$epub" "$out/article-local.md" 2>"$out/build.log" ||
  die "inkpack failed to build the book (exit $?): $(tail -3 "$out/build.log")"
kill "$server" 2>/dev/null || true
# -q leaves only errors on stderr; one there, even with exit 0, is a failure.
[[ ! -s "$out/build.log" ]] || die "inkpack printed while building: $(head -3 "$out/build.log")"
unzip -tq "$epub" >/dev/null || die "reference.epub is not a sound zip (unzip -t)"
# -q hides the "N missing" summary and the warnings, so look at the book itself: every <img> of the article is
# there, none was replaced by a missing-image placeholder, and each points into the zip.
python3 - "$epub" "$refs" <<'PY' || die "images not all embedded (above)"
import re, sys, zipfile, posixpath
z = zipfile.ZipFile(sys.argv[1]); names = set(z.namelist()); want = int(sys.argv[2])
imgs, problems = 0, []
for n in sorted(names):
    if not re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n): continue
    x = z.read(n).decode("utf-8")
    if "missing-image" in x: problems.append(f"{n}: a missing-image placeholder")
    for src in re.findall(r'<img [^>]*src="([^"]+)"', x):
        imgs += 1
        target = posixpath.normpath(posixpath.join(posixpath.dirname(n), src))
        if target not in names: problems.append(f"{n}: <img src=\"{src}\"> is not in the book")
if imgs != want: problems.append(f"{imgs} <img> in the chapters, the article has {want} image references")
for p in problems: print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
nimages="$(unzip -Z1 "$epub" | grep -c '^EPUB/images/')"
ok "built reference.epub ($(stat -c %s "$epub") bytes), all $refs image references embedded ($nimages files in EPUB/images/ with the cover)"

# --- b. Store preflight and EPUBCheck -----------------------------------------------------------
if "$inkpack" check "$epub" >"$out/inkpack-check.log" 2>&1; then ok "inkpack check passed"
else fail "inkpack check failed:"; sed 's/^/  /' "$out/inkpack-check.log" >&2; fi
# --locale en: the summary line below is looked for in English whatever the machine's locale.
java -jar "$epubcheck_jar" --locale en "$epub" >"$out/epubcheck.log" 2>&1 || true
if grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$out/epubcheck.log"; then ok "EPUBCheck: 0 errors, 0 warnings"
else fail "EPUBCheck found problems:"; grep -E '^(FATAL|ERROR|WARNING)|^Messages' "$out/epubcheck.log" | head -20 >&2; fi

# --- c. MuPDF at a phone's page size ------------------------------------------------------------
# -W/-H: a 390x844 page (iPhone 12-15 in CSS px, which MuPDF takes as points); -S 16: the default
# text size of phone browsers; -r 144: pixels at 2x, as the screen has them.
mu=(mutool draw -q -W 390 -H 844 -S 16)
mkdir -p "$out/pages"
mu_ok=1
"${mu[@]}" -r 144 -o "$out/pages/page-%03d.png" "$epub" 2>>"$out/mutool.log" || mu_ok=0
"${mu[@]}" -F txt -o "$out/reference-mupdf.txt" "$epub" 2>>"$out/mutool.log" || mu_ok=0
"${mu[@]}" -F stext -o "$out/reference.stext" "$epub" 2>>"$out/mutool.log" || mu_ok=0
"${mu[@]}" -F trace -o "$out/reference.trace" "$epub" 2>>"$out/mutool.log" || mu_ok=0
# mupdf-tools 1.21 always says these two; anything else (an image it cannot decode...) is a problem.
odd="$(grep -v -e 'ICC support is not available' -e 'unknown epub version: 3.0' "$out/mutool.log" | sort -u | head -5 || true)"
if [[ $mu_ok -eq 0 ]]; then fail "mutool draw failed: $(tail -3 "$out/mutool.log")"
elif [[ -n $odd ]]; then fail "mutool complained while laying out the book: $odd"
else
  # Titles are whole lines (the table of contents has "1. 引言", not "引言"), each at the top of
  # its own page; body samples may be cut by line ends, so they are matched without whitespace.
  # Titles and samples interleaved must come in this order.
  rc=0; python3 - "$out" "$epub" <<'PY' || rc=$?
import re, struct, sys, zipfile, xml.etree.ElementTree as ET
out, epub = sys.argv[1], sys.argv[2]
TITLES = ["引言", "空间计算", "具身智能", "AI助手", "基因编辑", "自动驾驶", "小模型", "AI短剧", "结语"]
ORDER = ["引言", "新年刚开头", "空间计算", "上周末", "具身智能", "AI助手", "比尔·盖茨", "基因编辑",
         "全球第一款基因编辑药物", "自动驾驶", "比亚迪", "小模型", "傅盛", "AI短剧", "短剧爆火", "结语", "祝你"]
PAGE_W, PAGE_H = 390, 844
problems = []
def say(msg): problems.append(msg)

pages = open(f"{out}/reference-mupdf.txt", encoding="utf-8").read().split("\f")
if pages and not pages[-1].strip(): pages.pop()  # the form feed after the last page
lines = [[l.strip() for l in p.splitlines() if l.strip()] for p in pages]
flat = "".join("".join(p.split()) for p in pages)
def label(n):  # a page by its first words, for messages
    return f"page {n} ({lines[n-1][0][:12] if lines[n-1] else 'no text'})"

# Order: titles as lines, samples in the whitespace-free text, each after the one before.
stream, line_at = "", []  # offset of every line in the whitespace-free text, with its page
for n, p in enumerate(lines, 1):
    for l in p:
        line_at.append((len(stream), "".join(l.split()), n)); stream += "".join(l.split())
pos, title_page = 0, {}
for w in ORDER:
    if w in TITLES:
        hit = next(((o, n) for o, l, n in line_at if o >= pos and l == w), None)
        if not hit: say(f"section title {w} missing as a line of its own after position {pos} of the text"); continue
        pos, title_page[w] = hit[0] + len(w), hit[1]
        if lines[hit[1] - 1][0] != w: say(f"section {w} does not start {label(hit[1])}")
    else:
        i = stream.find(w, pos)
        if i < 0: say(f"body sample {w} missing, or not after the title before it"); continue
        pos = i + len(w)
bad = {c: flat.count(c) for c in "\ufffd\ufffc\u25a1" if c in flat}  # replacement, object, white square
if bad: say("replacement glyphs in the text: " + ", ".join(f"U+{ord(c):04X} x{k}" for c, k in bad.items()))

# Fonts (stext): every character drawn with the embedded subset; anything else is MuPDF's
# fallback, i.e. a glyph the subset lacks. Han characters first: they are the body text.
han, fallback = 0, {}
st = ET.parse(f"{out}/reference.stext").getroot().findall("page")
for n, page in enumerate(st, 1):
    for font in page.iter("font"):
        for ch in font.iter("char"):
            c = ch.get("c", "")
            if not c.strip(): continue
            if "WenKai" in font.get("name", ""):
                han += bool(re.match(r"[\u3400-\u9fff]", c))
            else:
                fallback.setdefault((font.get("name"), c), []).append(n)
for (name, c), ns in sorted(fallback.items(), key=lambda kv: kv[1][0]):
    kind = "Chinese text" if re.match(r"[\u3000-\u9fff\uff00-\uffef]", c) else "character"
    say(f"{kind} {c!r} (U+{ord(c):04X}) drawn with fallback font {name!r}, not the embedded LXGW WenKai, "
        f"{len(ns)}x, first on {label(ns[0])}: the font subset lacks it")
if han < 5000: say(f"only {han} Han characters drawn with LXGW WenKai")
if len(st) != len(pages): say(f"stext has {len(st)} pages, txt {len(pages)}")

# No drawn glyph is .notdef (glyph 0, the empty box), and every image lies inside its page (trace).
trace = open(f"{out}/reference.trace", encoding="utf-8").read().split("<page ")[1:]
notdef = sum(p.count('glyph="0"') for p in trace)
if notdef: say(f"{notdef} glyphs drawn as .notdef (missing-glyph boxes)")
sizes = {}  # intrinsic size -> image files, to name an image in a message
with zipfile.ZipFile(epub) as z:
    for name in z.namelist():
        if name.endswith(".xhtml"):
            for src, w, h in re.findall(r'<img [^>]*src="([^"]+)"[^>]*width="(\d+)" height="(\d+)"', z.read(name).decode()):
                sizes.setdefault((int(w), int(h)), set()).add(src.rsplit("/", 1)[-1])
image_pages, outside = [], []
for n, p in enumerate(trace, 1):
    imgs = re.findall(r'<fill_image [^>]*transform="([^"]+)" width="(\d+)" height="(\d+)"', p)
    if imgs: image_pages.append(n)
    for tr, w, h in imgs:
        a, b, c, d, e, f = map(float, tr.split())
        xs, ys = [e, e + a, e + c, e + a + c], [f, f + b, f + d, f + b + d]
        if min(xs) < -0.5 or max(xs) > PAGE_W + 0.5 or min(ys) < -0.5 or max(ys) > PAGE_H + 0.5:
            files = ",".join(sorted(sizes.get((int(w), int(h)), ["?"])))
            outside.append(f"{label(n)}: {w}x{h} image [{files}] drawn at x {min(xs):.0f}..{max(xs):.0f}, "
                           f"y {min(ys):.0f}..{max(ys):.0f}")
if outside: say(f"{len(outside)} images drawn outside the {PAGE_W}x{PAGE_H} page:\n    " + "\n    ".join(outside))

# The PNGs: one per page, at 2x.
import glob
pngs = sorted(glob.glob(f"{out}/pages/page-*.png"))
if len(pngs) != len(pages): say(f"{len(pngs)} PNG pages for {len(pages)} pages of text")
for png in pngs:
    with open(png, "rb") as fh: w, h = struct.unpack(">II", fh.read(24)[16:24])
    if (w, h) != (2 * PAGE_W, 2 * PAGE_H): say(f"{png}: {w}x{h} pixels, not {2*PAGE_W}x{2*PAGE_H}"); break

# INDEX.txt: which PNG to look at for what. The cover: the first page with an image and no text.
cover = next((n for n in image_pages if not lines[n - 1]), None)
title = next((n for n, p in enumerate(lines, 1) if "阅读原文" in p), None)
sec = title_page.get("空间计算")
image = next((n for n in image_pages if sec and n > sec), image_pages[0] if image_pages else None)
tables = 0
with zipfile.ZipFile(epub) as z:
    tables = sum(z.read(n).decode().count("<table") for n in z.namelist() if n.endswith(".xhtml"))
def entry(what, n): return f"{what}: " + (f"page {n} pages/page-{n:03d}.png" if n else "none found")
index = [f"# mutool draw -W {PAGE_W} -H {PAGE_H} -S 16 -r 144: {len(pages)} pages of {2*PAGE_W}x{2*PAGE_H} px",
         entry("cover", cover), entry("title page", title), entry("section start 空间计算", sec),
         entry("image", image),
         "table: " + (f"{tables} in the book" if tables else "none (the book has no <table>)"),
         "sections: " + ", ".join(f"{t} {n}" for t, n in title_page.items()),
         "pages with images: " + " ".join(map(str, image_pages))]
open(f"{out}/pages/INDEX.txt", "w", encoding="utf-8").write("\n".join(index) + "\n")
for what, n in (("cover", cover), ("title page", title), ("空间计算 section start", sec), ("image page", image)):
    if not n: say(f"no {what} found")

for p in problems: print("  " + p, file=sys.stderr)
if problems: sys.exit(1)
print(f"ok: MuPDF {PAGE_W}x{PAGE_H}: {len(pages)} pages; 9 titles and 8 samples in order; {han} Han characters, all "
      f"in LXGW WenKai; no replacement glyph; {len(image_pages)} pages with images, all inside the page; "
      f"cover p{cover}, title p{title}, 空间计算 p{sec}, image p{image} (pages/INDEX.txt)")
PY
  [[ $rc -eq 0 ]] || fail "MuPDF rendering of the book (above; pages/INDEX.txt says which page is what)"
fi

# --- d. calibre --------------------------------------------------------------------------------
if QT_QPA_PLATFORM=offscreen ebook-convert "$epub" "$out/reference.txt" >"$out/calibre.log" 2>&1; then
  # Every title as a line of its own, the body samples between them in order.
  rc=0; python3 - "$out/reference.txt" <<'PY' || rc=$?
import sys
TITLES = ["引言", "空间计算", "具身智能", "AI助手", "基因编辑", "自动驾驶", "小模型", "AI短剧", "结语"]
ORDER = ["引言", "新年刚开头", "空间计算", "上周末", "具身智能", "AI助手", "比尔·盖茨", "基因编辑",
         "全球第一款基因编辑药物", "自动驾驶", "比亚迪", "小模型", "傅盛", "AI短剧", "短剧爆火", "结语", "祝你"]
stream, line_at = "", []
for l in open(sys.argv[1], encoding="utf-8").read().splitlines():
    l = "".join(l.split())
    line_at.append((len(stream), l)); stream += l
pos, missing = 0, []
for w in ORDER:
    i = next((o for o, l in line_at if o >= pos and l == w), -1) if w in TITLES else stream.find(w, pos)
    if i < 0: missing.append(w)
    else: pos = i + len(w)
if missing:
    print("  missing, or out of order: " + " ".join(missing), file=sys.stderr); sys.exit(1)
PY
  if [[ $rc -eq 0 ]]; then ok "calibre ebook-convert: reference.txt holds the 9 titles and 8 samples in order"
  else fail "calibre's text of the book lacks titles or samples (above)"; fi
else
  fail "calibre ebook-convert failed: $(tail -3 "$out/calibre.log")"
fi

# --- e. epub.js in Chromium ---------------------------------------------------------------------
if "$src/scripts/web-check.sh" "$epub" "$out/web-reader.png" --chapter ch002 >"$out/web-check.log" 2>&1; then
  ok "web-check (epub.js, Chromium 390x844): $(tail -1 "$out/web-check.log")"
else fail "web-check failed: $(tail -5 "$out/web-check.log")"; fi

# --- f. Ace by DAISY ----------------------------------------------------------------------------
rc=0; "$src/scripts/ace-check.sh" "$epub" "$out/ace" >"$out/ace.log" 2>&1 || rc=$?
if [[ $rc -eq 0 ]]; then ok "Ace by DAISY: $(tail -1 "$out/ace.log")"
elif [[ $rc -eq 1 ]]; then fail "Ace by DAISY found accessibility violations:"; sed 's/^/  /' "$out/ace.log" >&2
else fail "Ace by DAISY did not run (exit $rc): $(tail -3 "$out/ace.log")"; fi

if [[ $failed -gt 0 ]]; then
  echo "FAILED: $failed check(s) in $((SECONDS - started)) s; outputs in $out" >&2
  exit 1
fi
echo "ok: all checks passed in $((SECONDS - started)) s; outputs in $out"

#!/usr/bin/env python3
"""inkpack serve's OPDS catalog as reading apps meet it (issue 16): read by a real feed client
(Debian's python3-feedparser) with no bozo error; every element and link relation OPDS 1.2 (and
the Atom format it is built on, RFC 4287) requires of an acquisition feed, checked from the
specifications; and each acquisition link downloads its book byte for byte.
    serve_opds.py INKPACK"""
import os, re, shutil, subprocess, sys, tempfile, time, urllib.parse, urllib.request
import xml.etree.ElementTree as ET

try:
    import feedparser
except ImportError:  # the Python on PATH (pyenv, a venv) may not see Debian's packages
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("FAIL: python3-feedparser is missing; scripts/install-deps.sh --test installs it")

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/terms/}"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
REL_ACQUISITION = "http://opds-spec.org/acquisition"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


def fetch(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as answer:
        return answer.headers, answer.read()


def check_feed_element(feed):
    """RFC 4287 4.1.1 and OPDS 1.2 section 2 (catalog feed documents) and 2.3 (acquisition feeds)."""
    for name in ("id", "title", "updated"):
        check(len(feed.findall(ATOM + name)) == 1, f"atom:feed has not exactly one atom:{name}")
    check(RFC3339.match(feed.findtext(ATOM + "updated") or ""), "atom:feed's atom:updated is not an RFC 3339 date")
    entries = feed.findall(ATOM + "entry")
    check(feed.find(ATOM + "author") is not None or all(e.find(ATOM + "author") is not None for e in entries),
          "atom:feed has no atom:author and not every entry has one")
    links = {l.get("rel"): l for l in feed.findall(ATOM + "link")}
    for rel in ("self", "start"):  # 2.4: a feed SHOULD link itself and the catalog's root
        check(rel in links, f"no feed link rel={rel}")
        check(rel not in links or links[rel].get("type") == ACQUISITION_FEED,
              f"feed link rel={rel} has type {links.get(rel, ET.Element('x')).get('type')}, not {ACQUISITION_FEED}")
    return entries


def check_entry(entry, base):
    """RFC 4287 4.1.2 and OPDS 1.2 section 5 (catalog entries), 6 (artwork) and 7 (acquisition)."""
    title = entry.findtext(ATOM + "title")
    for name in ("id", "title", "updated"):
        check(len(entry.findall(ATOM + name)) == 1, f"entry {title}: not exactly one atom:{name}")
    check(RFC3339.match(entry.findtext(ATOM + "updated") or ""), f"entry {title}: atom:updated not RFC 3339")
    check(entry.find(ATOM + "content") is not None or any(l.get("rel") == "alternate" for l in entry.findall(ATOM + "link")),
          f"entry {title}: neither atom:content nor an alternate link")
    check(entry.find(ATOM + "author/" + ATOM + "name") is not None, f"entry {title}: no author name")
    check(entry.findtext(DC + "language"), f"entry {title}: no dc:language")
    check(entry.findtext(ATOM + "summary"), f"entry {title}: no summary")
    links = {}
    for link in entry.findall(ATOM + "link"):
        check(link.get("href") and link.get("type"), f"entry {title}: a link without href or type")
        links.setdefault(link.get("rel"), []).append(link)
    acquisitions = [l for rel, ls in links.items() if rel and rel.startswith(REL_ACQUISITION) for l in ls]
    check(acquisitions, f"entry {title}: no acquisition link (OPDS 1.2 requires one)")
    for rel in ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"):
        check(rel in links, f"entry {title}: no {rel} link")
        for link in links.get(rel, []):
            check(link.get("type") in ("image/jpeg", "image/png", "image/gif"), f"entry {title}: {rel} of type {link.get('type')}")
            headers, body = fetch(urllib.parse.urljoin(base, link.get("href")))
            check(headers.get("Content-Type") == link.get("type") and body, f"entry {title}: {rel} does not give its image")
    return acquisitions


def main():
    inkpack = os.path.realpath(sys.argv[1])
    work = tempfile.mkdtemp()
    server = None
    try:
        books = os.path.join(work, "books")
        os.mkdir(books)
        subprocess.run([inkpack, "-q", "--sample", "--offline", "-o", os.path.join(books, "2024，7大机会.epub")], check=True)
        with open(os.path.join(work, "tea.md"), "w") as article:
            article.write("---\ntitle: Tea\nauthor: Ann\ndescription: A short one.\n---\n\n# Tea\n\nText.\n")
        subprocess.run([inkpack, "-q", "--offline", os.path.join(work, "tea.md"), "-o", os.path.join(books, "tea.epub")], check=True)
        out = open(os.path.join(work, "out"), "w+")
        server = subprocess.Popen([inkpack, "serve", books, "--bind", "127.0.0.1", "--port", "0"], stdout=out, stderr=subprocess.DEVNULL)
        url = None
        for _ in range(100):
            out.seek(0)
            found = re.search(r"Reading apps \(OPDS catalog\): (\S+)", out.read())
            if found:
                url = found.group(1)
                break
            time.sleep(0.05)
        if not url:
            sys.exit("FAIL: the server printed no catalog address")

        headers, body = fetch(url)
        check(headers.get("Content-Type") == ACQUISITION_FEED, f"the feed is served as {headers.get('Content-Type')}")
        parsed = feedparser.parse(body)
        check(not parsed.bozo, f"feedparser: {parsed.get('bozo_exception')}")
        check(parsed.version == "atom10", f"feedparser reads it as {parsed.version}, not Atom 1.0")
        check(len(parsed.entries) == 2, f"feedparser found {len(parsed.entries)} entries, not 2")
        titles = sorted(e.title for e in parsed.entries)
        check(titles == ["Tea", "山间茶事：一杯绿茶的四个季节"], f"titles {titles}")
        tea = next((e for e in parsed.entries if e.title == "Tea"), None)
        check(tea is not None and tea.summary == "A short one." and tea.author == "Ann", "Tea's summary and author")

        feed = ET.fromstring(body)
        check(feed.tag == ATOM + "feed", "the root is not atom:feed")
        for entry in check_feed_element(feed):
            for link in check_entry(entry, url):
                headers, book = fetch(urllib.parse.urljoin(url, link.get("href")))
                name = urllib.parse.unquote(link.get("href").rsplit("/", 1)[1])
                with open(os.path.join(books, name), "rb") as original:
                    check(book == original.read(), f"{link.get('href')} is not the book {name}")
                check(headers.get("Content-Type") == link.get("type"), f"{name}: served as {headers.get('Content-Type')}")
                check(link.get("length") == str(len(book)), f"{name}: length {link.get('length')}, {len(book)} bytes")
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work)
    for problem in problems:
        print("FAIL:", problem)
    if problems:
        sys.exit(1)
    print("serve_opds: all held")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""inkpack as a user runs it with images it cannot have, off a terminal: a server that never
answers is cut off at --timeout, an unresolvable host and a refused port are one warning each, a
progress line appears while the build runs longer than a few seconds, and -q prints nothing.
    network_cli.py SOURCE_DIR INKPACK"""
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

source_dir, inkpack = Path(sys.argv[1]), sys.argv[2]
TIMEOUT = 6  # over the 5 s after which progress lines start
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


server = subprocess.Popen([sys.executable, source_dir / "tests/fixtures/http_server.py"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
try:
    port = int(server.stdout.readline())
    refused = f"127.0.0.1:{closed_port()}"
    lines = ["# Unreachable", "", f"![](http://127.0.0.1:{port}/silent.png)", ""]
    for i in range(30):
        lines += [f"![](http://nowhere.invalid/{i}.png)", "", f"![](http://{refused}/{i}.png)", ""]
    with tempfile.TemporaryDirectory() as work:
        article = Path(work, "article.md")
        article.write_text("\n".join(lines), encoding="utf-8")
        common = [inkpack, "--no-cache", "--timeout", str(TIMEOUT), str(article)]
        start = time.monotonic()
        loud = subprocess.Popen(common + ["-o", str(Path(work, "loud.epub"))],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        quiet = subprocess.Popen(common + ["-q", "-o", str(Path(work, "quiet.epub"))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, err = loud.communicate(timeout=60)
        took = time.monotonic() - start
        _, quiet_err = quiet.communicate(timeout=60)
    check(loud.returncode == 0, f"exit {loud.returncode}")
    check(took <= TIMEOUT + 1.5, f"took {took:.1f} s, past the {TIMEOUT} s deadline and a second")
    check(re.search(r"^inkpack: images 60/61, .* \(60 failed\)$", err, re.M), "no progress line")
    warned = [line for line in err.splitlines() if "warning" in line]
    for host in ("nowhere.invalid", refused):
        mine = [line for line in warned if host in line]
        check(len(mine) == 1 and "30 images not included" in mine[0] and "--offline" in mine[0],
              f"not one warning for {host} with the count and --offline: {mine}")
    check(any("silent.png" in line and "--timeout deadline of 6 s" in line for line in warned),
          "the silent server's warning does not name the deadline")
    check(quiet.returncode == 0 and quiet_err == "", f"-q printed: {quiet_err!r}")
finally:
    server.stdin.close()
    server.wait(timeout=10)

if failures:
    print("stderr was:\n" + err)
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print(f"ok: {took:.1f} s")

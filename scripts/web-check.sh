#!/usr/bin/env bash
# Opens a built EPUB in epub.js inside headless Chromium at a phone viewport (tests/web/read_book.mjs)
# and checks one page with Chinese text and an image; writes its screenshot.
#   scripts/web-check.sh BOOK.epub OUT.png [--chapter NAME]
# Needs node, npm and Debian's chromium (CHROMIUM=path overrides /usr/bin/chromium).
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: scripts/web-check.sh BOOK.epub OUT.png [--chapter NAME]" >&2; exit 2; }
web="$(cd "$(dirname "$0")/../tests/web" && pwd)"
# Paths are taken before cd so relative ones still mean the caller's directory.
book="$(realpath "$1")"; out="$(realpath -m "$2")"; shift 2
# npm ci wipes and reinstalls node_modules from the lock file: only when missing or stale.
# npm writes node_modules/.package-lock.json on every install, so its time stamp is the install's.
# The lock also holds Ace (scripts/ace-check.sh), whose puppeteer would download a Chrome on
# install: it uses Debian's chromium instead.
export PUPPETEER_SKIP_DOWNLOAD=1
if [[ ! -f "$web/node_modules/.package-lock.json" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$web/read_book.mjs" "$book" "$out" "$@"

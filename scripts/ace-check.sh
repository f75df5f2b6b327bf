#!/usr/bin/env bash
# Checks a built EPUB's accessibility with Ace by DAISY (@daisy/ace-cli, pinned in
# tests/web/package.json), run by puppeteer in Debian's chromium (tests/web/chromium-headless).
#   scripts/ace-check.sh BOOK.epub OUTDIR
# Writes OUTDIR/report.json and report.html, prints one tab-separated line per violation
# (impact, rule, file, html, message), then `violations: N`.
# Exit 0: no violation; 1: violations; 2: usage; 3: Ace itself failed.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: scripts/ace-check.sh BOOK.epub OUTDIR" >&2; exit 2; }
web="$(cd "$(dirname "$0")/../tests/web" && pwd)"
book="$(realpath "$1")"; out="$(realpath -m "$2")"
[[ -f "$book" ]] || { echo "ace-check: no such file: $1" >&2; exit 2; }
# puppeteer's install script would download a Chrome: never, Debian's chromium is used instead.
export PUPPETEER_SKIP_DOWNLOAD=1
# Same rule as scripts/web-check.sh: npm ci only when node_modules is missing or older than the lock.
if [[ ! -f "$web/node_modules/.package-lock.json" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
export PUPPETEER_EXECUTABLE_PATH="${PUPPETEER_EXECUTABLE_PATH:-$web/chromium-headless}"
# Ace gives Chromium 5 s to start by default: too tight on a busy 2-core machine.
export ACE_TIMEOUT_INITIAL="${ACE_TIMEOUT_INITIAL:-60000}"
# Without -E, ace-cli exits 0 even with violations; they are counted from report.json below.
rc=0
"$web/node_modules/.bin/ace-cli" --silent --force --outdir "$out" "$book" || rc=$?
if [[ $rc -ne 0 || ! -s "$out/report.json" ]]; then
  echo "ace-check: Ace failed (exit $rc); see: $web/node_modules/.bin/ace-cli --verbose -f -o $out $book" >&2
  exit 3
fi
# Violations are the EARL assertions whose outcome is "fail".
node - "$out/report.json" <<'JS'
const r = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
let n = 0;
for (const doc of r.assertions || []) {
  for (const a of doc.assertions || []) {
    if (a['earl:result']['earl:outcome'] !== 'fail') continue;
    n++;
    const t = a['earl:test'], res = a['earl:result'];
    // For *-invalid rules the description holds the offending value.
    const detail = /-invalid$/.test(t['dct:title']) ? ` (${t['dct:description']})` : '';
    console.log([t['earl:impact'], t['dct:title'], doc['earl:testSubject'].url, res.html || '',
                 (res['dct:description'] || '') + detail].join('\t'));
  }
}
// alt="" is valid for Ace, but a screen reader then skips the image without it being marked
// decorative: worth a look, not counted.
const silent = ((r.data && r.data.images) || []).filter(i => i.alt === '' && i.role !== 'presentation' && i.role !== 'none');
if (silent.length) console.log(`note: ${silent.length} image(s) with alt="" and no role="presentation" (not counted)`);
console.log(`violations: ${n}`);
process.exitCode = n ? 1 : 0;
JS

#!/usr/bin/env node
// Opens an EPUB in a real web reading system (epub.js) inside headless Debian Chromium at a
// phone viewport, checks that one page shows Chinese text and a loaded image that fits, and
// saves a screenshot of it.
//   node read_book.mjs BOOK.epub OUT.png [--chapter NAME]
// NAME matches the end of a spine item's href: "ch002.xhtml" or "ch002".
// Without it the chapter is the one holding the book's first <img> preceded by CJK text.
// Exit 0: all checks passed; exit 1: a check failed (message on stderr); exit 2: usage.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const ci = argv.indexOf('--chapter');
const chapter = ci >= 0 ? argv.splice(ci, 2)[1] : null;
const [bookPath, outPng] = argv;
if (!bookPath || !outPng || (ci >= 0 && !chapter)) {
  console.error('usage: node read_book.mjs BOOK.epub OUT.png [--chapter NAME]');
  process.exit(2);
}
const started = Date.now();
const fail = (msg) => { console.error(`read_book: FAIL: ${msg}`); process.exit(1); };
class CheckFailed extends Error {}  // thrown inside try so the browser is closed first
// A hung browser must not hang CI: give up well before a minute.
setTimeout(() => fail('timed out after 45 s'), 45000).unref();

const VIEW = { width: 390, height: 844 };
const require = createRequire(import.meta.url);
// The browser builds of epub.js and JSZip (epub.js needs a global JSZip to open a zipped book).
const files = {
  '/epub.min.js': require.resolve('epubjs/dist/epub.min.js'),
  '/jszip.min.js': require.resolve('jszip/dist/jszip.min.js'),
  '/book.epub': path.resolve(bookPath),  // the ".epub" suffix makes epub.js treat it as an archive
};
if (!fs.existsSync(files['/book.epub'])) fail(`no such file: ${bookPath}`);
const READER = `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>html, body { margin: 0; height: 100%; overflow: hidden; } #viewer { width: 100vw; height: 100vh; }</style>
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script>
</head><body><div id="viewer"></div></body></html>`;

// Tiny static server on a random loopback port: epub.js fetches the book with XHR, which
// file:// URLs do not allow.
const server = http.createServer((req, res) => {
  const url = req.url.split('?')[0];
  if (url === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(READER);
  const file = files[url];
  if (!file) return res.writeHead(404).end();
  const type = url.endsWith('.js') ? 'text/javascript' : 'application/epub+zip';
  res.writeHead(200, { 'content-type': type });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

// launch() gives Chromium a fresh temporary profile and deletes it afterwards. The
// background-networking flags stop Chromium calling home: the network here is closed.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let code = 1;
try {
  const page = await browser.newPage({ viewport: VIEW, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });
  await page.goto(base);

  // In the page: open the book, choose the chapter and its target image, show the page that
  // holds the image, wait for its images and fonts, then measure what is inside the viewer.
  const r = await page.evaluate(async (chapter) => {
    const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
    const errs = [];
    const book = ePub('/book.epub');
    // A book epub.js cannot open never gets "ready": wait for openFailed or a time limit too.
    const opened = await Promise.race([book.ready.then(() => null),
      new Promise((ok) => book.on('openFailed', (e) => ok(`epub.js could not open the book: ${e}`))),
      new Promise((ok) => setTimeout(() => ok('epub.js did not open the book within 15 s'), 15000))]);
    if (opened) return { errs, fatal: opened };
    const rendition = book.renderTo('viewer', { width: '100%', height: '100%', flow: 'paginated', spread: 'none' });
    rendition.on('displayError', (e) => errs.push(`displayError: ${e}`));
    // The first <img> with CJK text before it in document order (or null).
    const imgAfterCjk = (doc) => {
      const w = doc.createTreeWalker(doc.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      let seen = false;
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        if (n.nodeType === 3) seen ||= CJK.test(n.data);
        else if (n.localName === 'img' && seen) return n;
      }
      return null;
    };
    let section = null, img = null;
    for (const s of book.spine.spineItems) {
      const named = chapter && (s.href.endsWith(chapter) || s.href.endsWith(chapter + ".xhtml"));
      if (chapter && !named) continue;
      await s.load(book.load.bind(book));
      img = imgAfterCjk(s.document) || (named ? s.document.querySelector('img') : null);
      if (img || named) { section = s; break; }
    }
    if (!section) return { errs, fatal: chapter ? `no spine item matches --chapter ${chapter}` : 'no <img> follows CJK text in any chapter' };
    const cfi = img ? section.cfiFromElement(img) : null;
    await rendition.display(section.href);
    const contents = rendition.getContents()[0];
    const doc = contents.document;
    // Images (blob: URLs) and web fonts must be ready before layout is measured.
    await Promise.race([
      Promise.all([...doc.images].map((i) => i.complete ? 0 : new Promise((ok) => { i.onload = i.onerror = ok; }))),
      new Promise((ok) => setTimeout(ok, 10000)),
    ]);
    await doc.fonts.ready;
    if (cfi) await rendition.display(cfi);  // moves to the page holding the image
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));

    // The viewer's box in top-level coordinates; the iframe holds the whole chapter in
    // columns and is scrolled sideways, so "visible" means inside this box.
    const vr = document.getElementById('viewer').getBoundingClientRect();
    const fr = contents.window.frameElement.getBoundingClientRect();
    const inView = (b) => b.width > 0 && b.left + fr.left >= vr.left - 0.5 && b.right + fr.left <= vr.right + 0.5
      && b.top + fr.top >= vr.top - 0.5 && b.bottom + fr.top <= vr.bottom + 0.5;
    const overlaps = (b) => b.right + fr.left > vr.left && b.left + fr.left < vr.right
      && b.bottom + fr.top > vr.top && b.top + fr.top < vr.bottom;
    let chars = 0, cjk = 0, probe = null;
    const range = doc.createRange();
    const w = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        if (/\s/.test(n.data[i])) continue;
        range.setStart(n, i); range.setEnd(n, i + 1);
        const b = range.getBoundingClientRect();
        if (!inView(b)) continue;
        chars++;
        if (CJK.test(n.data[i])) {
          cjk++;
          if (!probe && n.parentElement.localName === 'p') probe = { x: b.left + fr.left + b.width / 2, y: b.top + fr.top + b.height / 2 };
        }
      }
    }
    // epub.js rewrites src to blob: URLs; the unrendered copy has the book's own names.
    const names = [...section.document.querySelectorAll('img')].map((i) => i.getAttribute('src').split('/').pop());
    const images = [...doc.images].map((i, k) => [i, names[k]]).filter(([i]) => overlaps(i.getBoundingClientRect())).map(([i, src]) => {
      const b = i.getBoundingClientRect();
      return { src, natural: [i.naturalWidth, i.naturalHeight],
        shown: [Math.round(b.width), Math.round(b.height)], left: Math.round(b.left + fr.left - vr.left),
        fits: b.left + fr.left >= vr.left - 0.5 && b.right + fr.left <= vr.right + 0.5 };
    });
    return {
      errs, chapter: section.href, target: img && img.getAttribute('src').split('/').pop(), chars, cjk, images, probe,
      pageOverflow: document.documentElement.scrollWidth > window.innerWidth,
      location: rendition.currentLocation()?.start?.displayed,
    };
  }, chapter);

  // The fonts Chromium actually drew the probed CJK character with (e.g. a Noto CJK face);
  // computed styles only name the generic family.
  let fonts = '?';
  if (r.probe) {
    try {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('DOM.enable'); await cdp.send('CSS.enable');
      await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
      const { nodeId } = await cdp.send('DOM.getNodeForLocation', { x: Math.round(r.probe.x), y: Math.round(r.probe.y) });
      const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      fonts = used.map((f) => `${f.familyName}(${f.glyphCount})`).join('+');
    } catch (e) { fonts = `? (${e.message.split('\n')[0]})`; }
  }
  await page.screenshot({ path: outPng });

  const problems = [...r.errs, ...errors];
  if (r.fatal) throw new CheckFailed([r.fatal, ...problems].join('; '));
  if (r.cjk === 0) problems.push(`no CJK characters visible on the page (${r.chars} characters visible)`);
  const good = r.images.filter((i) => i.natural[0] > 0 && i.fits);
  if (!good.length) problems.push(r.images.length
    ? `no visible image both loaded and within the viewport: ${JSON.stringify(r.images)}` : 'no <img> on the visible page');
  if (r.pageOverflow) problems.push('the reader page overflows the viewport horizontally');
  const imgs = r.images.map((i) => `${i.src} ${i.natural.join('x')}->${i.shown.join('x')}@x=${i.left}${i.fits ? '' : ' OVERFLOW'}`).join(', ');
  console.log(`read_book: chapter=${r.chapter} page=${r.location?.page}/${r.location?.total} chars=${r.chars} cjk=${r.cjk}`
    + ` images=[${imgs}] font=${fonts} time=${((Date.now() - started) / 1000).toFixed(1)}s png=${outPng}`);
  if (problems.length) throw new CheckFailed(problems.join('; '));
  code = 0;
} catch (e) {
  console.error(`read_book: FAIL: ${e instanceof CheckFailed ? e.message : e.stack}`);
} finally {
  await browser.close();
  server.close();
}
process.exit(code);

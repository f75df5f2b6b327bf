#!/bin/sh
# Binary input refused, check of several books, output paths and `-`, SOURCE_DATE_EPOCH bounds,
# exit codes, manifests, the cache: exit codes, messages and files on disk. $1: the inkpack binary.
B=$1
T=$(mktemp -d) && cd "$T" || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect() { code=$1; shift; "$@" >out 2>err; got=$?; [ $got -eq $code ] || fail "$* gave $got, not $code: $(cat err)"; }

# 7: binary input, by content, named with what it looks like.
printf '\211PNG\r\n\032\nabc' > pic.md
expect 1 $B pic.md -o x.epub; grep -q 'inkpack: error: pic.md: not a text article (a PNG image); give a Markdown or HTML file' err || fail "png: $(cat err)"
$B -q --sample -o book.epub || fail sample
expect 1 $B book.epub -o x.epub; grep -q 'not a text article (a zip archive' err || fail "epub: $(cat err)"
expect 1 sh -c "$B - -o x.epub < book.epub"; grep -q 'standard input: not a text article' err || fail "stdin: $(cat err)"
[ ! -e x.epub ] || fail "a book was written from binary input"

# 10: every book checked, worst verdict, -q prints failures only.
expect 1 $B check book.epub pic.md book.epub; [ "$(grep -c 'passed: all' out)" -eq 2 ] || fail "check did not check every book"
expect 0 $B check -q book.epub book.epub; [ ! -s out ] || fail "check -q printed: $(cat out)"

# 13: output paths and -.
expect 2 $B --sample -o ""; grep -q 'empty path names no file' err || fail "empty -o: $(cat err)"
expect 0 $B -q --sample -o newout/; [ -f "newout/山间茶事：一杯绿茶的四个季节.epub" ] || fail "-o newout/ wrote $(ls -R newout)"
printf '# Tea\n\nText.\n' > tea.md
expect 0 sh -c "$B -q - -o - < tea.md"; $B check -q out || fail "-o - did not give a book on stdout"
expect 1 sh -c "$B --sample --print-outline > /dev/full"; grep -q 'inkpack: error: standard output' err || fail outline
expect 1 sh -c "$B check book.epub > /dev/full"
expect 1 sh -c "$B -q --sample -o - > /dev/full"
mkdir dist && echo "my own" > dist/Tea.epub
expect 0 $B tea.md; [ "$(cat dist/Tea.epub)" = "my own" ] || fail "another book was replaced"
grep -q 'dist/Tea.epub holds another book' err && [ -f "dist/Tea (2).epub" ] || fail "no free name: $(cat err)"
printf '# Tea\n\nEdited.\n' > tea.md
expect 0 $B tea.md; [ "$(ls dist | wc -l)" -eq 2 ] || fail "a rebuild did not replace its earlier build: $(ls dist)"

# 16: SOURCE_DATE_EPOCH bounds.
for bad in 253402300800 -1 soon; do
  expect 2 env SOURCE_DATE_EPOCH=$bad $B --sample -o d.epub; grep -q 'end of year 9999' err || fail "epoch $bad"
done

# 12: exit codes as README says; every line of a failure inkpack's own, in words.
said() {
  grep -q "^inkpack: error: .*$1" err || fail "$2 did not say \"$1\": $(cat err)"
  ! grep -v '^inkpack: ' err || fail "$2: a line not inkpack's"
}
expect 2 $B tea.md -o x.epub --font nosuch; said 'neither a font file' --font
expect 2 $B tea.md -o x.epub --font tea.md; said 'not a TrueType or OpenType font' '--font FILE'
expect 2 $B tea.md -o x.epub --lang 'x y'; said 'not a language tag; give one such as' --lang
expect 2 $B tea.md -o x.epub --sections '/[/'; said 'not a regular expression' --sections
expect 2 $B tea.md -o x.epub --cover tea.md; said 'not an image.*give a PNG' --cover
expect 1 $B nosuch.md -o x.epub; said 'nosuch.md: no such file' 'a missing article'
expect 1 $B check nosuch.epub; said 'nosuch.epub: cannot open' 'check of a missing book'
for size in 0 -5MB 45parsecs; do expect 2 $B tea.md -o x.epub --max-size $size; said "$size.*give a size such as 45MB" "--max-size $size"; done
expect 2 $B tea.md -o x.epub --css nosuch.css; said 'nosuch.css.*inkpack --help' --css
expect 2 $B --no-such-flag; said 'no-such-flag.*inkpack --help' 'an unknown option'
printf '# Tea\n\n![](http://127.0.0.1:9/a.png)\n' > lost.md  # one warning: the image is not in the cache
expect 2 $B --strict --no-cache --offline lost.md -o x.epub --font nosuch; said 'neither a font file' '--strict --font'
expect 3 $B --strict --no-cache --offline lost.md -o x.epub
[ ! -e x.epub ] || fail "a book was written from a bad command line"

# 11: an unusable download cache, warned about once by name (a folder nobody else may read: as
# another user, since root reads anything).
expect 0 $B --cache tea.md --offline lost.md -o x.epub; [ "$(grep -c 'warning: tea.md: the download cache is not a folder' err)" -eq 1 ] || fail "cache file: $(cat err)"
# Only where that user can run the binary at all (a build under a folder only root may enter,
# as in scripts/fresh-check.sh's root, cannot be).
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && nobody $B --version >/dev/null 2>&1; then
  chmod 755 "$T" && mkdir locked && chmod 000 locked
  expect 0 nobody $B --cache locked --offline lost.md -o -
  grep -q 'warning: locked: the download cache cannot be read and written' err || fail "locked cache: $(cat err)"
else
  echo "cli_safety: the unreadable cache case skipped: no other user can run $B here"
fi

# 8: a manifest's files outside its folder only with --allow-outside-articles.
mkdir m && printf 'articles: [../tea.md]\n' > m/book.yaml
expect 1 $B m/book.yaml -o x.epub; said 'outside the manifest.s folder.*--allow-outside-articles' 'manifest outside'
expect 0 $B -q --allow-outside-articles m/book.yaml -o x.epub
echo "cli_safety: all held"

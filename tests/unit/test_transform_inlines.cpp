// Inline repairs: CJK emphasis, line breaks inside Chinese sentences, links a book cannot follow.
#include <catch2/catch.hpp>

#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

const Inlines& first_paragraph(const Document& doc) {
  for (const Block& block : doc.sections.at(0).blocks)
    if (block.kind == BlockKind::paragraph) return block.inlines;
  FAIL("no paragraph");
  static Inlines none;
  return none;
}

// Keeps extras: these tests are about inlines, and short link-only lines would read as chrome.
std::string xhtml_of(const std::string& markdown) {
  TempDir dir;
  BuildOptions options;
  options.keep_extras = true;
  const Built book = build_markdown(dir, markdown, options);
  return entry(read_epub(book.epub), "EPUB/text/ch001.xhtml");
}

}  // namespace

TEST_CASE("resolve_cjk_emphasis, bold ending in CJK punctuation before a CJK letter") {
  const std::string xhtml = xhtml_of("千亿级的 **参数 。**而参数的大，又带来了能力。\n");
  CHECK(xhtml.find("<strong>参数。</strong>而参数") != std::string::npos);  // no space before 。
  CHECK(xhtml.find("**") == std::string::npos);
}

TEST_CASE("resolve_cjk_emphasis, unpaired runs never reach the book") {
  TempDir dir;
  const Document doc = load_markdown(dir, "** ** ** **观点 / 某人************ ****\n\n正文 **  \n**\n");
  for (const Section& section : doc.sections)
    for (const Block& block : section.blocks) CHECK(plain_text(block.inlines).find("**") == std::string::npos);
  CHECK(xhtml_of("a ** b **c** d").find("<strong>c</strong>") != std::string::npos);
}

TEST_CASE("resolve_cjk_emphasis, Latin emphasis is unchanged") {
  const std::string xhtml = xhtml_of("Some *emphasis*, **strong** and 2 * 3 * 4.\n");
  CHECK(xhtml.find("<em>emphasis</em>") != std::string::npos);
  CHECK(xhtml.find("<strong>strong</strong>") != std::string::npos);
  CHECK(xhtml.find("2 * 3 * 4") != std::string::npos);
}

TEST_CASE("resolve_soft_breaks, no space between CJK characters, one between words") {
  TempDir dir;
  const Document doc = load_markdown(dir, "这是一句被硬换行\n切开的中文，苹果的Vision\nPro发售了。“引号\n”也算。\n");
  CHECK(plain_text(first_paragraph(doc)) == "这是一句被硬换行切开的中文，苹果的Vision Pro发售了。“引号”也算。");
}

TEST_CASE("resolve_soft_breaks, a lone space between bold runs of Chinese goes, one between English words stays") {
  const std::string xhtml = xhtml_of("**今天** **我们重发**一篇文章。Bold **words** *stay* apart.\n");
  CHECK(xhtml.find("<strong>今天</strong><strong>我们重发</strong>一篇文章") != std::string::npos);
  CHECK(xhtml.find("<strong>words</strong> <em>stay</em>") != std::string::npos);
}

TEST_CASE("unwrap_unresolvable_links, links that point nowhere become text") {
  const std::string xhtml = xhtml_of(
      "[返回列表页](/gzh/someone) [外链](https://example.com/a?b=1) [空]() [锚点](#nowhere)\n\n"
      "[](https://example.com/empty)\n");
  CHECK(xhtml.find("/gzh/") == std::string::npos);
  CHECK(xhtml.find("返回列表页") != std::string::npos);
  CHECK(xhtml.find("<a href=\"https://example.com/a?b=1\">外链</a>") != std::string::npos);
  CHECK(xhtml.find("#nowhere") == std::string::npos);
  CHECK(xhtml.find("example.com/empty") == std::string::npos);
}

TEST_CASE("unwrap_unresolvable_links, an anchor to a section points into its file") {
  TempDir dir;
  const Built book = build_markdown(dir, "# T\n\n## One\n\nSee [two](#two).\n\n## Two\n\nHere.\n");
  const std::string one = entry(read_epub(book.epub), "EPUB/text/ch001.xhtml");
  CHECK(one.find("href=\"ch002.xhtml#sec-2\"") != std::string::npos);
}

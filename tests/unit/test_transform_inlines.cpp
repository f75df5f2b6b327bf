// Inline repairs: CJK emphasis, line breaks inside Chinese sentences, links a book cannot follow.
// Each pass runs on a document read in the test; the book's XHTML is checked end to end once
// per pass family, where the writer's part is what the test is about.
#include <catch2/catch.hpp>

#include "read/markdown_reader.hpp"
#include "support/helpers.hpp"
#include "transform/inline_passes.hpp"
#include "util/text.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

// The blocks of `markdown` as read, before any pass.
Blocks read_blocks(const std::string& markdown) {
  Diagnostics diags;
  return read_markdown(markdown, "a.md", diags).blocks;
}

// The nodes of one kind, depth first, in reading order.
std::vector<const Inline*> all_of(InlineKind kind, const Inlines& inlines) {
  std::vector<const Inline*> found;
  for (const Inline& node : inlines) {
    if (node.kind == kind) found.push_back(&node);
    const auto inner = all_of(kind, node.children);
    found.insert(found.end(), inner.begin(), inner.end());
  }
  return found;
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

TEST_CASE("resolve_cjk_emphasis, unpaired runs beside CJK text are dropped, pairs become bold") {
  Blocks blocks = read_blocks("** ** ** **观点 / 某人************ ****\n\n正文 **  \n**\n");
  resolve_cjk_emphasis(blocks);
  REQUIRE(blocks.size() == 2);
  CHECK(trim(plain_text(blocks[0].inlines)) == "观点 / 某人");
  CHECK(trim(plain_text(blocks[1].inlines)) == "正文");

  Blocks latin = read_blocks("a ** b **c** d");
  resolve_cjk_emphasis(latin);
  REQUIRE(latin.size() == 1);
  const auto strong = all_of(InlineKind::strong, latin[0].inlines);
  REQUIRE(strong.size() == 1);
  CHECK(plain_text(strong[0]->children) == "c");
  // A lone `**` between Latin words is the author's, like `2**10`.
  CHECK(plain_text(latin[0].inlines) == "a ** b c d");
}

TEST_CASE("resolve_cjk_emphasis, Latin emphasis is unchanged") {
  Blocks blocks = read_blocks("Some *emphasis*, **strong** and 2 * 3 * 4.\n");
  resolve_cjk_emphasis(blocks);
  REQUIRE(blocks.size() == 1);
  CHECK(plain_text(blocks[0].inlines) == "Some emphasis, strong and 2 * 3 * 4.");
  const auto emphasis = all_of(InlineKind::emphasis, blocks[0].inlines);
  const auto strong = all_of(InlineKind::strong, blocks[0].inlines);
  REQUIRE(emphasis.size() == 1);
  REQUIRE(strong.size() == 1);
  CHECK(plain_text(emphasis[0]->children) == "emphasis");
  CHECK(plain_text(strong[0]->children) == "strong");
}

TEST_CASE("resolve_soft_breaks, no space between CJK characters, one between words") {
  Blocks blocks = read_blocks("这是一句被硬换行\n切开的中文，苹果的Vision\nPro发售了。“引号\n”也算。\n");
  resolve_soft_breaks(blocks);
  REQUIRE(blocks.size() == 1);
  CHECK(plain_text(blocks[0].inlines) == "这是一句被硬换行切开的中文，苹果的Vision Pro发售了。“引号”也算。");
}

TEST_CASE("resolve_soft_breaks, a lone space between bold runs of Chinese goes, one between English words stays") {
  Blocks blocks = read_blocks("**今天** **我们重发**一篇文章。Bold **words** *stay* apart.\n");
  resolve_soft_breaks(blocks);
  REQUIRE(blocks.size() == 1);
  CHECK(plain_text(blocks[0].inlines) == "今天我们重发一篇文章。Bold words stay apart.");
  CHECK(all_of(InlineKind::strong, blocks[0].inlines).size() == 3);
}

TEST_CASE("unwrap_unresolvable_links, links that point nowhere become text") {
  Blocks blocks = read_blocks(
      "[返回列表页](/gzh/someone) [外链](https://example.com/a?b=1) [空]() [锚点](#nowhere)\n\n"
      "[](https://example.com/empty)\n");
  unwrap_unresolvable_links(blocks, {});
  REQUIRE(blocks.size() == 2);
  CHECK(plain_text(blocks[0].inlines) == "返回列表页 外链 空 锚点");
  const auto links = all_of(InlineKind::link, blocks[0].inlines);
  REQUIRE(links.size() == 1);
  CHECK(links[0]->target == "https://example.com/a?b=1");
  CHECK(plain_text(links[0]->children) == "外链");
  // A link with no text leaves nothing to read.
  CHECK(plain_text(blocks[1].inlines).empty());
  CHECK(all_of(InlineKind::link, blocks[1].inlines).empty());
}

TEST_CASE("unwrap_unresolvable_links, a link the book can follow is written, one it cannot is text") {
  const std::string xhtml = xhtml_of("[返回列表页](/gzh/someone) [外链](https://example.com/a?b=1) [锚点](#nowhere)\n\n"
                                     "[](https://example.com/empty)\n");
  CHECK(xhtml.find("<p>返回列表页<a href=\"https://example.com/a?b=1\">外链</a>锚点</p></section>") != std::string::npos);
}

TEST_CASE("unwrap_unresolvable_links, an anchor to a section points into its file") {
  TempDir dir;
  const Built book = build_markdown(dir, "# T\n\n## One\n\nSee [two](#two).\n\n## Two\n\nHere.\n");
  const std::string one = entry(read_epub(book.epub), "EPUB/text/ch001.xhtml");
  CHECK(one.find("href=\"ch002.xhtml#sec-2\"") != std::string::npos);
}

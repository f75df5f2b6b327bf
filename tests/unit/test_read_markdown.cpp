// Reading Markdown into the model: front matter, raw HTML, broken bytes, exporter damage.
#include <catch2/catch.hpp>

#include "read/markdown_reader.hpp"
#include "read/source_repair.hpp"
#include "support/helpers.hpp"
#include "util/text.hpp"

using namespace inkpack;
using namespace inkpack::test;

TEST_CASE("read_markdown, YAML front matter is metadata, not body text") {
  Diagnostics diags;
  const Document doc = read_markdown("---\ntitle: 标题\nauthor: [甲, 乙]\ndate: 2024-01-02\ntags: [x, y]\n---\n正文。\n", "a.md", diags);
  CHECK(doc.meta.title == "标题");
  CHECK(doc.meta.authors == std::vector<std::string>{"甲", "乙"});
  CHECK(doc.meta.date == "2024-01-02");
  CHECK(doc.meta.tags == std::vector<std::string>{"x", "y"});
  REQUIRE(doc.blocks.size() == 1);
  CHECK(plain_text(doc.blocks[0].inlines) == "正文。");
}

TEST_CASE("read_markdown, a thematic break at the top is not front matter") {
  Diagnostics diags;
  const Document doc = read_markdown("---\nJust text.\n---\n", "a.md", diags);
  CHECK(doc.meta.title.empty());
  REQUIRE(doc.blocks.size() == 3);
  CHECK(doc.blocks[0].kind == BlockKind::thematic_break);
  CHECK(doc.blocks[1].kind == BlockKind::paragraph);
  CHECK(plain_text(doc.blocks[1].inlines) == "Just text.");
  CHECK(doc.blocks[2].kind == BlockKind::thematic_break);
  CHECK(diags.warnings().empty());
}

TEST_CASE("read_markdown, invalid UTF-8 is replaced and reported with its line") {
  Diagnostics diags;
  const Document doc = read_markdown("good line\nbad \xC3\x28 byte\nnul \x01 too\n", "a.md", diags);
  REQUIRE(diags.warnings().size() == 2);
  CHECK(diags.warnings()[0].where == "a.md:2");
  CHECK(diags.warnings()[1].where == "a.md:3");
  CHECK(plain_text(doc.blocks[0].inlines).find("bad \xEF\xBF\xBD( byte") != std::string::npos);
}

TEST_CASE("read_markdown, raw HTML: a safe subset stays elements, the rest is text or dropped") {
  Diagnostics diags;
  const Document doc = read_markdown(
      "a <b>bold</b> <span>plain</span> <blink>old</blink> <i>open\n\n"
      "<div><p>block <em>html</em></p><script>alert(1)</script><img src=\"x.png\" alt=\"pic\"></div>\n",
      "a.md", diags);
  REQUIRE(doc.blocks.size() >= 2);
  const Inlines& first = doc.blocks[0].inlines;
  CHECK(first.at(1).kind == InlineKind::strong);
  CHECK(plain_text(first) == "a bold plain <blink>old</blink> open");
  std::string rest;
  bool image = false;
  for (std::size_t i = 1; i < doc.blocks.size(); ++i) {
    rest += plain_text(doc.blocks[i].inlines);
    for (const Inline& node : doc.blocks[i].inlines) image = image || node.kind == InlineKind::image;
  }
  CHECK(rest.find("block html") != std::string::npos);
  CHECK(rest.find("alert") == std::string::npos);
  CHECK(image);
}

TEST_CASE("repair_export_quirks, mangled and split image URLs are restored") {
  const SourceRepair repaired = repair_export_quirks(
      "![](https://x.cn/a/640?wx_fmt=png&from;=appmsg&wx;_lazy=1)\n"
      "**![](https://x.cn/b/640?wx_fmt=jpeg\n&from;=appmsg&wx;_co=1)**\n"
      "text &amp; more\n");
  CHECK(repaired.text ==
        "![](https://x.cn/a/640?wx_fmt=png&from=appmsg&wx_lazy=1)\n"
        "**![](https://x.cn/b/640?wx_fmt=jpeg&from=appmsg&wx_co=1)**\n"
        "text &amp; more\n");
  CHECK(repaired.split_urls_joined == 1);
  CHECK(repaired.parameters_fixed == 4);
}

TEST_CASE("repair_export_quirks, a bold run broken onto its own line is closed on the line it opened") {
  const SourceRepair repaired = repair_export_quirks(" **问题5：  \n**\n\n正文。\n\n**a** b\n**\n");
  CHECK(repaired.text == " **问题5：**\n\n正文。\n\n**a** b\n**\n");  // a closed run stays as written
  CHECK(repaired.bold_lines_joined == 1);
  Diagnostics diags;
  const Document doc = read_markdown(" **问题5：  \n**\n\n正文。\n", "t.md", diags);
  REQUIRE(doc.blocks.size() == 2);
  CHECK(doc.blocks[0].inlines.at(0).kind == InlineKind::strong);
}

TEST_CASE("read_markdown, UTF-16 and GBK articles are converted, with a warning to check them") {
  const std::string text = "# 标题\n\n正文，一段中文。\n";
  std::string utf16 = "\xFF\xFE";  // little-endian, with its byte-order mark
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    utf16 += static_cast<char>(cp & 0xFF);
    utf16 += static_cast<char>(cp >> 8);
  }
  TempDir dir;
  std::vector<Warning> warnings;
  const Document from_utf16 = load_markdown(dir, utf16, {}, &warnings);
  CHECK(from_utf16.meta.title == "标题");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message.find("UTF-16") != std::string::npos);

  // "标题" and "正文，一段中文。" in GBK.
  const std::string gbk = "# \xB1\xEA\xCC\xE2\n\n\xD5\xFD\xCE\xC4\xA3\xAC\xD2\xBB\xB6\xCE\xD6\xD0\xCE\xC4\xA1\xA3\n";
  warnings.clear();
  const Document from_gbk = load_markdown(dir, gbk, {}, &warnings);
  CHECK(from_gbk.meta.title == "标题");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message.find("GB18030") != std::string::npos);

  // UTF-8 with one stray byte stays UTF-8: the byte is replaced, the rest untouched.
  warnings.clear();
  const Document stray = load_markdown(dir, "# 标题\n\n正文\xFF。\n", {}, &warnings);
  CHECK(stray.meta.title == "标题");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message.find("U+FFFD") != std::string::npos);
}

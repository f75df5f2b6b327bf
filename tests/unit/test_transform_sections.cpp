// Section detection: what becomes a chapter and a TOC entry.
#include <catch2/catch.hpp>

#include "support/helpers.hpp"
#include "transform/sections.hpp"

using namespace inkpack;
using namespace inkpack::test;
using Titles = std::vector<std::string>;

TEST_CASE("split_sections, bold title alone in its paragraph") {
  TempDir dir;
  const Document doc = load_markdown(dir, "# 书名\n\n开头的一段话。\n\n**第一部分**\n\n正文一。\n\n**第二部分**\n\n正文二。\n");
  CHECK(doc.meta.title == "书名");
  CHECK(titles(doc) == Titles{"引言", "第一部分", "第二部分"});
  CHECK(plain_text(doc.sections.at(2).blocks.at(0).inlines) == "正文二。");
}

TEST_CASE("split_sections, bold title on its own line after images, body on the next line") {
  TempDir dir;
  const Document doc = load_markdown(dir,
      "开头。\n\n上一节的结尾。![](a.png)![](b.png)\n**第二节**\n第二节的正文从这里开始。\n");
  CHECK(titles(doc) == Titles{"引言", "第二节"});
  // The images right before the title are that section's divider and badge: they move with it.
  const Blocks& blocks = doc.sections.at(1).blocks;
  REQUIRE(blocks.size() == 3);
  CHECK(blocks.at(0).kind == BlockKind::figure);
  CHECK(blocks.at(1).kind == BlockKind::figure);
  CHECK(plain_text(blocks.at(2).inlines) == "第二节的正文从这里开始。");
}

TEST_CASE("split_sections, bold title at the start of a body line") {
  TempDir dir;
  const Document doc = load_markdown(dir, "开头。\n\n![](badge.png)\n**第三节** 正文紧跟在标题后面。\n");
  CHECK(titles(doc) == Titles{"引言", "第三节"});
  CHECK(plain_text(doc.sections.at(1).blocks.back().inlines) == "正文紧跟在标题后面。");
}

TEST_CASE("split_sections, emphasis is not a title") {
  TempDir dir;
  SECTION("sentences ending in 。？！…") {
    const Document doc = load_markdown(dir, "**这是一句强调。**\n\n**真的吗？**\n\n**当然！**\n\n**未完…**\n");
    CHECK(titles(doc) == Titles{"article"});
  }
  SECTION("long runs") {
    const Document doc = load_markdown(dir, "**这是一段很长很长的加粗文字它没有标点但显然不是一个章节标题**\n");
    CHECK(titles(doc) == Titles{"article"});
  }
  SECTION("a word broken out of a sentence onto its own line") {
    const Document doc = load_markdown(dir, "第一层的大，又带来了\n**能力**\n的大。还有大\n**机会**\n。但是不止于此。\n");
    CHECK(titles(doc) == Titles{"article"});
  }
  SECTION("bold at a paragraph start followed by more bold") {
    const Document doc = load_markdown(dir, "**今天** **我们重发一篇文章**，希望有所启发。\n");
    CHECK(titles(doc) == Titles{"article"});
  }
  SECTION("bold followed by text, without images before it") {
    const Document doc = load_markdown(dir, "**注意** 这里是普通的一段话。\n");
    CHECK(titles(doc) == Titles{"article"});
  }
  SECTION("a byline") {
    const Document doc = load_markdown(dir, "![](a.png)\n**观点 / 某团队 主笔 / 某人**\n");
    CHECK(titles(doc) == Titles{"article"});
  }
}

TEST_CASE("split_sections, numbered Chinese titles") {
  TempDir dir;
  const Document doc = load_markdown(dir,
      "开头。\n\n**一、背景**\n\n正文。\n\n**2. 方法**\n\n正文。\n\n**第三部分：结果**\n\n正文。\n\n"
      "**（四）讨论**\n\n正文。\n\n**第五节**\n\n正文。\n");
  CHECK(titles(doc) == Titles{"引言", "一、背景", "2. 方法", "第三部分：结果", "（四）讨论", "第五节"});
}

TEST_CASE("split_sections, images in headings are kept") {
  TempDir dir;
  dir.write("x.png", read_text(source_dir() / "samples/sample-article/images/steps.png"));
  dir.write("y.png", read_text(source_dir() / "samples/sample-article/images/tea-field.png"));
  const Document doc = load_markdown(dir, "# T\n\n## 甲 ![banner](x.png)\n\ntext\n\n## ![](y.png)\n\n## 乙\n\nmore\n");
  CHECK(titles(doc) == Titles{"甲", "乙"});
  CHECK(doc.sections.at(0).blocks.at(0).kind == BlockKind::figure);
  CHECK(doc.sections.at(0).blocks.back().kind == BlockKind::figure);
}

TEST_CASE("split_sections, a divider above a title opens the new section: a picture stays where it is") {
  TempDir dir;
  dir.write("d.png", read_text(source_dir() / "samples/sample-article/images/steps.png"));
  dir.write("p.png", read_text(source_dir() / "samples/sample-article/images/tea-field.png"));
  const Document doc = load_markdown(dir,
      "# T\n\n![](d.png)\n\n**甲**\n\n正文。\n\n![照片](p.png)\n\n![](d.png)\n\n**乙**\n\n正文。\n");
  REQUIRE(titles(doc) == Titles{"甲", "乙"});
  const auto first_image = [](const Section& s) { return s.blocks.front().inlines.front(); };
  CHECK(first_image(doc.sections[0]).decorative);
  CHECK(first_image(doc.sections[1]).decorative);                       // the divider moved down
  CHECK(doc.sections[0].blocks.back().inlines.front().target == "p.png");  // the photo did not
  CHECK_FALSE(doc.sections[0].blocks.back().inlines.front().decorative);
}

TEST_CASE("load_document, each article of a book is a chapter with its sections under it") {
  TempDir dir;
  BuildOptions options;
  options.inputs = {dir.write("a/one.md", "# 第一篇\n\n前言。\n\n**甲**\n\n正文。\n"),
                    dir.write("b/two.md", "# 第二篇\n\n前言。\n\n**乙**\n\n![](pic.png)\n")};
  dir.write("b/pic.png", read_text(source_dir() / "samples/sample-article/images/steps.png"));
  dir.write("a/pic.png", "not an image");
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(titles(*doc) == Titles{"第一篇", "甲", "第二篇", "乙"});
  CHECK(format_outline(*doc) == "第一篇\n  1. 第一篇\n    1. 甲\n  2. 第二篇\n    1. 乙\n");
  CHECK(doc->media.size() == 1);
}

TEST_CASE("load_document, an author's own section named like the generated opening keeps its entry") {
  TempDir dir;
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("one.md", "# 第一篇\n\n## 引言\n\n正文。\n\n## 结论\n\n正文。\n"),
                    dir.write("two.md", "# 第二篇\n\n开头。\n\n## 乙\n\n正文。\n")};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  // The author's 引言 is a section of the first article, not the untitled text before its titles.
  CHECK(titles(*doc) == Titles{"第一篇", "引言", "结论", "第二篇", "乙"});
  CHECK(doc->sections[0].role == SectionRole::article);
  CHECK(doc->sections[1].role == SectionRole::titled);
  CHECK(doc->sections[3].role == SectionRole::article);  // its opening text, under the article's title
  CHECK_FALSE(doc->sections[3].blocks.empty());
}

TEST_CASE("split_sections, empty headings are boundaries, not sections") {
  TempDir dir;
  const Document doc = load_markdown(dir,
      "# 书名\n\n#\n开头。\n\n**甲**\n\n甲的正文。\n\n**乙**\n\n乙的正文。\n\n#####\n结尾的话。\n\n#\n\n#\n");
  CHECK(titles(doc) == Titles{"引言", "甲", "乙", "结语"});
  CHECK(plain_text(doc.sections.at(3).blocks.at(0).inlines) == "结尾的话。");
}

TEST_CASE("split_sections, Markdown headings win over bold lines") {
  TempDir dir;
  const Document doc = load_markdown(dir,
      "# Title\n\nIntro.\n\n## One\n\nText.\n\n### Detail\n\nMore.\n\n**Bold line**\n\n## Two\n\nEnd.\n");
  CHECK(titles(doc) == Titles{"Introduction", "One", "Two"});
  CHECK(doc.meta.language == "en");
  // The sub-heading stays inside its section, one level below the chapter title.
  CHECK(doc.sections.at(1).blocks.at(1).kind == BlockKind::heading);
  CHECK(doc.sections.at(1).blocks.at(1).level == 3);
}

TEST_CASE("split_sections, --sections with a list of titles or a regex") {
  TempDir dir;
  const std::string md = "开头。\n\n第一章 起\n\n文字。\n\n**随便**\n\n第二章 落\n\n文字。\n";
  BuildOptions list;
  list.sections = {"第一章 起", "第二章 落"};
  CHECK(titles(load_markdown(dir, md, list)) == Titles{"引言", "第一章 起", "第二章 落"});
  BuildOptions regex;
  regex.sections = {"/^第.章/"};
  CHECK(titles(load_markdown(dir, md, regex)) == Titles{"引言", "第一章 起", "第二章 落"});
  BuildOptions missing;
  missing.sections = {"第九章"};
  std::vector<Warning> warnings;
  load_markdown(dir, md, missing, &warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].detail == "第九章");
}

TEST_CASE("parse_section_override, commas separate titles, not regexes") {
  auto list = parse_section_override({"甲, 乙", "丙"});
  REQUIRE(list);
  CHECK(list->titles == Titles{"甲", "乙", "丙"});
  auto regex = parse_section_override({"/^第.{1,2}章/"});
  REQUIRE(regex);
  CHECK(regex->matches("第十二章 终"));
  CHECK_FALSE(regex->matches("第一百零一章"));
}

TEST_CASE("parse_section_override, a broken regex is a clear error") {
  auto parsed = parse_section_override({"/([/"});
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().message.find("not a regular expression") != std::string::npos);
  CHECK(parsed.error().kind == ErrorKind::usage);
}

// Gathering an article: what is left out as not the article's, what is kept although it looks
// like chrome or a byline, and how addresses and pages are read.
#include <catch2/catch.hpp>

#include "net/image_urls.hpp"
#include "transform/sections.hpp"
#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

std::string body_text(const Document& doc) {
  std::string out;
  for (const Section& section : doc.sections)
    for (const Block& block : section.blocks) {
      out += plain_text(block.inlines) + plain_text(block.caption) + "\n";
      for (const Block& child : block.children)
        for (const Block& grandchild : child.children) out += plain_text(grandchild.inlines) + "\n";
    }
  return out;
}

const std::string k_long = std::string(30, 'x') + "这一段足够长，是文章自己的正文，不是任何网站的导航或者提示，读者要读到它。";

}  // namespace

TEST_CASE("remove_extras, the author's own words stay though they look like chrome") {
  TempDir dir;
  // An opening line that mentions 列表 and 首页 is the author's, not a site's navigation.
  Document doc = load_markdown(dir, "# 我的书单\n\n这份列表是我放在首页的。\n\n" + k_long + "\n");
  CHECK(body_text(doc).find("这份列表是我放在首页的。") != std::string::npos);
  // References under the author's heading stay; a reading list under a prompt heading goes.
  doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n## 参考资料\n\n- [甲文](https://a.example/1)\n- [乙文](https://a.example/2)\n");
  CHECK(body_text(doc).find("甲文") != std::string::npos);
  CHECK(titles(doc).back() == "参考资料");
  doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n## 往期推荐\n\n- [甲文](https://a.example/1)\n- [乙文](https://a.example/2)\n");
  CHECK(body_text(doc).find("甲文") == std::string::npos);
  CHECK(body_text(doc).find("往期推荐") == std::string::npos);
  // A backup site's navigation and note at the top go.
  doc = load_markdown(dir, "[返回列表](/list)\n\n# T\n\n某某自动备份，仅供查阅\n\n" + k_long + "\n");
  CHECK(body_text(doc).find("返回列表") == std::string::npos);
  CHECK(body_text(doc).find("自动备份") == std::string::npos);
  CHECK(body_text(doc).find("这一段足够长") != std::string::npos);
}

TEST_CASE("remove_extras, an exporter's banner is left out and names the original") {
  TempDir dir;
  const Document doc = load_markdown(dir, "> 本文由 [某阅读器](http://reader.example/) 转码， 原文地址 "
                                          "[mp.weixin.qq.com](https://mp.weixin.qq.com/s/AbCd)\n\n" + k_long + "\n");
  CHECK(body_text(doc).find("转码") == std::string::npos);
  CHECK(doc.meta.source == "https://mp.weixin.qq.com/s/AbCd");
}

TEST_CASE("remove_extras, follow prompts of any wording at the top and the account's card at the end") {
  TempDir dir;
  const std::string tail_text = "文章自己的最后一句话。";
  const Document doc = load_markdown(
      dir, "# T\n\n原创 某作者 某账号 2024-01-02\n\n**点一下上方蓝字，关注「某账号」**\n\n" + k_long + "\n\n" + k_long +
               tail_text + "\n\n**— END —**\n\n账号的口号一句\n\n作者简介：某某，一名写东西的工程师，喜欢骑车，住在一个小城里，已经写了十年。\n\n"
               "投稿邮箱：someone@mail.example\n\n小编微信：abc_123\n\n![](https://img.example/qr.png)\n");
  const std::string text = body_text(doc);
  CHECK(text.find("蓝字") == std::string::npos);
  CHECK(text.find(tail_text) != std::string::npos);
  for (const char* gone : {"END", "口号", "作者简介", "someone@", "abc_123"}) CHECK(text.find(gone) == std::string::npos);
}

TEST_CASE("remove_extras, a reading list written as numbered paragraphs goes; the author's closing words stay") {
  TempDir dir;
  Document doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n**往期回顾**\n\n1. [甲文](https://mp.weixin.qq.com/s/1)\n\n"
                                    "2. [乙文](https://mp.weixin.qq.com/s/2)\n\n文 / 某人\n\n要是觉得有用的话，欢迎转发点赞～\n");
  CHECK(body_text(doc).find("甲文") == std::string::npos);
  CHECK(body_text(doc).find("往期回顾") == std::string::npos);
  // The author's last sentence, which ends by asking to follow, is the author's.
  doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n以上就是这个系列要讲的全部内容了，欢迎关注、转发、点赞。\n");
  CHECK(body_text(doc).find("以上就是这个系列要讲的全部内容了") != std::string::npos);
  // 关注 in the author's prose, a lower-case `end` of a configuration, a section's number
  // between prompts: the article's.
  doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n重点关注：下面几种情况。\n\n" + k_long +
                               "\n\nend\n\n最后一条建议要记住。\n\n公众号回复：资料\n\n05\n\n总结\n\n"
                               "![](https://img.example/a.png)\n\n添加好友回复：交流群\n");
  const std::string text = body_text(doc);
  for (const char* kept : {"重点关注", "最后一条建议"}) CHECK(text.find(kept) != std::string::npos);
  CHECK(titles(doc).back().find("总结") != std::string::npos);
  CHECK(text.find("交流群") == std::string::npos);
  // A tutorial's last step points down the screen, at no account.
  doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n最后点击下方的保存按钮即可。\n");
  CHECK(body_text(doc).find("点击下方的保存按钮") != std::string::npos);
}

TEST_CASE("read_bylines, credits become metadata: captions stay text") {
  TempDir dir;
  Document doc = load_markdown(dir, "# T\n\n文/图：张三 编辑 | 李四\n\n" + k_long + "\n");
  CHECK(doc.meta.authors == std::vector<std::string>{"张三"});
  CHECK(doc.meta.contributors == std::vector<Contributor>{{"张三", "pht", "图"}, {"李四", "edt", "编辑"}});
  CHECK(body_text(doc).find("李四") == std::string::npos);
  // A caption under a picture, a source note: text, not credits.
  doc = load_markdown(dir, "# T\n\n" + k_long + "\n\n![](p.png)\n图：1980年的深圳街头\n\n来源：网络流传的一张老照片\n");
  CHECK(doc.meta.contributors.empty());
  CHECK(doc.meta.publisher.empty());
  CHECK(body_text(doc).find("1980年的深圳街头") != std::string::npos);
  CHECK(body_text(doc).find("网络流传的一张老照片") != std::string::npos);
  // A byline line as long as a paragraph is prose.
  doc = load_markdown(dir, "# T\n\nBy " + std::string(300, 'A') + "\n\n" + k_long + "\n");
  CHECK(doc.meta.authors.empty());
}

TEST_CASE("split_sections, a number before a title only counts as its badge when nothing else comes between") {
  TempDir dir;
  const Document doc = load_markdown(dir, "# T\n\n答案是：\n42\n\n下面说说别的。\n**结论**\n正文。\n");
  CHECK(titles(doc) == std::vector<std::string>{"引言", "结论"});
  CHECK(body_text(doc).find("42") != std::string::npos);
}

TEST_CASE("split_sections, numbered items before the first group stay at the top level") {
  TempDir dir;
  const Document doc = load_markdown(dir,
      "# T\n\n开头。\n\n**1. 甲**\n\n文。\n\n**2. 乙**\n\n文。\n\n**下篇**\n\n文。\n\n**1. 丙**\n\n文。\n\n**2. 丁**\n\n文。\n");
  CHECK(format_outline(doc) == "T\n  1. 引言\n  2. 1. 甲\n  3. 2. 乙\n  4. 下篇\n    1. 1. 丙\n    2. 2. 丁\n");
}

TEST_CASE("parse_number, section numbers are short: years and long digit runs are not numbers") {
  CHECK(parse_number("12. 标题").style == "1.");
  CHECK(parse_number("12. 标题").value == 12);
  CHECK(parse_number("十二、标题").value == 12);
  CHECK(parse_number("2024. 回顾").style.empty());
  CHECK(parse_number("12345678901234. 标题").style.empty());  // no overflow
}

TEST_CASE("resolve_url, addresses in a fetched page read relative to it") {
  const std::string page = "https://site.example/blog/post.html?x=1#top";
  CHECK(resolve_url(page, "img/a.png") == "https://site.example/blog/img/a.png");
  CHECK(resolve_url(page, "/img/a.png") == "https://site.example/img/a.png");
  CHECK(resolve_url(page, "//cdn.example/a.png") == "https://cdn.example/a.png");
  CHECK(resolve_url(page, "?page=2") == "https://site.example/blog/post.html?page=2");
  CHECK(resolve_url(page, "#sec") == "#sec");
  CHECK(resolve_url(page, "http://other.example/a.png") == "http://other.example/a.png");
  CHECK(resolve_url("https://site.example", "a.png") == "https://site.example/a.png");
  CHECK(resolve_url("https://site.example/dir/", "a.png") == "https://site.example/dir/a.png");
}

TEST_CASE("read_html, a table wider than any screen and a page nested absurdly deep") {
  TempDir dir;
  std::string wide = "<!DOCTYPE html><body><article><h1>宽</h1><p>开头。</p><table><tr>";
  for (int i = 0; i < 200; ++i) wide += "<td>c" + std::to_string(i) + "</td>";
  wide += "</tr><tr><td>短行</td></tr></table></article></body>";
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("wide.html", wide)};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  const Block* table = nullptr;
  for (const Section& s : doc->sections)
    for (const Block& b : s.blocks)
      if (b.kind == BlockKind::table) table = &b;
  REQUIRE(table);
  CHECK(table->children.at(0).children.size() == 128);
  CHECK(plain_text(table->children.at(0).children.back().inlines).find("c199") != std::string::npos);  // kept
  CHECK(table->children.at(1).children.size() == 1);  // a short row is not padded out

  std::string deep = "<!DOCTYPE html><body>";
  for (int i = 0; i < 30000; ++i) deep += "<span>";
  options.inputs = {dir.write("deep.html", deep + "x")};
  const auto refused = load_document(options, diags);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("nested 30001 deep (more than 25000)") != std::string::npos);  // with <body>
}

TEST_CASE("the title page links the source only when it is an address") {
  TempDir dir;
  const Built book = build_markdown(dir, "---\nsource: 某某公众号\n---\n# T\n\n正文。\n");
  const std::string page = entry(read_epub(book.epub), "EPUB/text/title.xhtml");
  CHECK(page.find("<p class=\"source\">某某公众号</p>") != std::string::npos);
  CHECK(page.find("<a ") == std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("read_html, a site's boxes among the paragraphs are not the article: anchors named like them are") {
  TempDir dir;
  const std::string page =
      "<!DOCTYPE html><body><article><h1>Reverb</h1><p>The article's first paragraph.</p>"
      "<div class=\"ad content-ad\"><span>ADVERTISEMENT</span></div>"
      "<h3 id=\"sharing\">Share by communicating</h3><p>Kept: the author's own section.</p>"
      "<div class=\"featured-sponsor-unit\"><h2>SPONSORED BY X</h2><p>Download Free Trial</p></div>"
      "<div class=\"ck_form_container ck_modal\"><h3>Missing our best stuff?</h3><p>Enter your email.</p></div>"
      "<div class=\"recommendation-section\"><h6>Related Articles</h6><ul><li><a href=\"/a\">A</a></li></ul></div>"
      "<div id=\"top-banner\"><h2>Books and Courses</h2></div><div class=\"widget widget_text\"><h3>About The Site</h3></div>"
      "<div class=\"shadow-box\"><p>Kept: shadow is not ad.</p></div></article></body>";
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("page.html", page)};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  std::string text;
  for (const Section& s : doc->sections) {
    text += s.title + "\n";
    for (const Block& b : s.blocks) text += plain_text(b.inlines) + "\n";
  }
  for (const char* gone : {"ADVERTISEMENT", "SPONSORED", "Download Free Trial", "Missing our best stuff", "Related Articles",
                           "Books and Courses", "About The Site"})
    CHECK(text.find(gone) == std::string::npos);
  for (const char* kept : {"first paragraph", "Share by communicating", "the author's own section", "shadow is not ad"})
    CHECK(text.find(kept) != std::string::npos);
}

TEST_CASE("read_html, titles an editor styled bold (135editor, 秀米) are bold lines: normal weight inside is not") {
  TempDir dir;
  const std::string body = "<p>这一节的正文写得足够长，读者一眼就能看出它是一段正文，而不是一个标题或者一句口号。作者在这里讲清楚了来龙去脉。</p>";
  std::string page = "<!DOCTYPE html><body><div id=\"js_content\">" + body;
  for (const char* title : {"缘起", "经过", "结果"})
    page += std::string("<section style=\"text-align: center; font-weight: 700; color: rgb(200, 0, 0)\"><p><span>") + title +
            "</span><span style=\"font-weight: normal\"></span></p></section>" + body;
  page += "<p><span style=\"font-weight:normal\">不加粗的一行</span></p>" + body + "</div></body>";
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("page.html", page)};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(titles(*doc) == std::vector<std::string>{"引言", "缘起", "经过", "结果"});
}

// Choosing the outline from candidate lines: series across the article, not single lines. Each
// case builds its candidates (or a short invented article) and checks what a reader's table of
// contents would list.
#include <catch2/catch.hpp>

#include "support/helpers.hpp"
#include "transform/outline.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

Candidate heading(int level, std::string text, std::string style = {}, int number = 0) {
  return {.markup = Candidate::Markup::heading, .level = level, .text = std::move(text), .number_style = std::move(style), .number = number};
}
Candidate bold(std::string text, std::string style = {}, int number = 0, Form form = Form::name) {
  return {.markup = Candidate::Markup::bold, .text = std::move(text), .number_style = std::move(style), .number = number, .form = form};
}
Candidate badge(int number) {
  return {.markup = Candidate::Markup::badge, .text = std::to_string(number), .number = number};
}

// Each candidate with a section's worth of text after it.
std::vector<int> depths(std::vector<Candidate> candidates) {
  for (std::size_t i = 0; i < candidates.size(); ++i) candidates[i].position = 500 + i * 1000;
  return choose_outline(candidates, 500 + candidates.size() * 1000).depth;
}

}  // namespace

TEST_CASE("choose_outline, a heading used once does not turn bold titles off") {
  // An <h2> holding a recommended article's title in the footer, bold titles in the body.
  CHECK(depths({bold("空间计算"), bold("小模型"), bold("AI短剧"), heading(2, "推荐阅读的一篇文章")}) ==
        std::vector<int>{1, 1, 1, 0});
}

TEST_CASE("choose_outline, the top heading level cuts the article and the next one nests") {
  CHECK(depths({heading(2, "A"), heading(3, "a1"), heading(3, "a2"), heading(2, "B"), heading(4, "x"), heading(4, "y")}) ==
        std::vector<int>{1, 2, 2, 1, 0, 0});
  // A lone ### (one use) is not a level of the outline.
  CHECK(depths({heading(2, "A"), heading(3, "a1"), heading(2, "B")}) == std::vector<int>{1, 0, 1});
}

TEST_CASE("choose_outline, a numbered series is taken whatever its wording: numbered statements are points") {
  const Form question = Form::sentence;
  CHECK(depths({bold("一、程序员还有未来吗？", "一、", 1, question), bold("二、和他在一起，你变得不像自己", "一、", 2, question),
                bold("三、供应链安全", "一、", 3)}) == std::vector<int>{1, 1, 1});
  std::vector<Candidate> points{bold("1、成为领导，这需要能力；", "一、", 1, question),
                                bold("2、离开部队，你要面临阻挠；", "一、", 2, question)};
  for (Candidate& c : points) c.statement = true;
  CHECK(depths(points) == std::vector<int>{0, 0});
}

TEST_CASE("choose_outline, the same labels again and again are a form's fields") {
  std::vector<Candidate> labels;
  for (int i = 0; i < 4; ++i)
    for (const char* label : {"漏洞名称", "影响产品", "风险等级"}) labels.push_back(bold(label));
  CHECK(depths(labels) == std::vector<int>(labels.size(), 0));
}

TEST_CASE("choose_outline, number badges with no title below them are the titles") {
  CHECK(depths({badge(1), badge(2), badge(3), badge(4)}) == std::vector<int>{1, 1, 1, 1});
  CHECK(depths({badge(3), badge(7)}) == std::vector<int>{0, 0});  // not a running count
}

TEST_CASE("choose_outline, marked bold lines that start before the headings outline the article") {
  Candidate preface = bold("前言"), history = bold("故事开端"), end = bold("后记");
  for (Candidate* c : {&preface, &history, &end}) c->decoration = "▍";
  CHECK(depths({preface, history, heading(3, "以块为单位"), heading(3, "分栏排版"), end}) ==
        std::vector<int>{1, 1, 2, 2, 1});
}

TEST_CASE("choose_outline, groups over numbered items, numbered alike as headings and bold") {
  // 一、 bold groups; （一） items set bold under one group and as headings under another.
  CHECK(depths({bold("一、整体架构", "一、", 1), bold("二、特征", "一、", 2), bold("（一）有哪些特征", "()", 1),
                bold("（二）怎么处理", "()", 2), bold("三、模型", "一、", 3), heading(2, "（一）线性模型", "()", 1),
                heading(2, "（二）深度模型", "()", 2)}) == std::vector<int>{1, 1, 2, 2, 1, 2, 2});
}

TEST_CASE("split_sections, titles in several styles, each below the same divider") {
  TempDir dir;
  const std::string divider = "![](https://mmbiz.qpic.cn/mmbiz_png/divider/640?wx_fmt=png)\n\n";
  const std::string body = "这一节的正文写得足够长，读者一眼就能看出它是一段正文。\n\n";
  const Document doc = load_markdown(dir, "# T\n\n开头的话。\n\n" + divider + "**一、节律**\n\n" + body + divider +
                                              "**02 余量**\n\n" + body + divider + "**留白**\n\n" + body);
  CHECK(titles(doc) == std::vector<std::string>{"引言", "一、节律", "02 余量", "留白"});
}

TEST_CASE("split_sections, a `#` title below an exporter's banner, with a `#` section after a byline") {
  TempDir dir;
  const Document doc = load_markdown(dir, "> 本文由转码工具生成\n\n# 真正的标题\n\n原创 作者\n\n# 第一部分\n\n正文。\n\n# 第二部分\n\n正文。\n");
  CHECK(doc.meta.title == "真正的标题");
  CHECK(titles(doc) == std::vector<std::string>{"引言", "第一部分", "第二部分"});
}

TEST_CASE("read_markdown, TOML front matter (Hugo, Zola) is metadata") {
  TempDir dir;
  const Document doc = load_markdown(dir, "+++\ntitle = \"Keyword Generics\"\nauthors = [\"Jane Doe\"]\ndate = 2022-07-27\n+++\n\nBody.\n");
  CHECK(doc.meta.title == "Keyword Generics");
  CHECK(doc.meta.authors == std::vector<std::string>{"Jane Doe"});
  CHECK(doc.meta.date == "2022-07-27");
  CHECK(titles(doc) == std::vector<std::string>{"Keyword Generics"});
}

TEST_CASE("choose_outline, outline numbers decide the level where the markup is inconsistent") {
  const auto numbered = [](int level, std::string text, int parts) {
    Candidate c = heading(level, std::move(text));
    c.outline_number = parts;
    return c;
  };
  CHECK(depths({numbered(2, "1. Zotero", 1), numbered(3, "1.1 WebDAV", 2), numbered(3, "1.2 重命名", 2),
                numbered(2, "2. 订阅", 1), numbered(2, "2.1 原理", 2), numbered(3, "2.1.1 细节", 3),
                numbered(3, "2.2 方法", 2)}) == std::vector<int>{1, 2, 2, 1, 2, 0, 2});
}

namespace {

// A paragraph of body text long enough to make a section.
const std::string k_body = "这一节的正文写得足够长，读者一眼就能看出它是一段正文，而不是一个标题或者一句口号。"
                           "作者在这里讲清楚了一件事情的来龙去脉，也给出了自己的判断和理由。\n\n";

}  // namespace

TEST_CASE("split_sections, a footer's heading does not turn the bold titles off") {
  TempDir dir;
  const Document doc = load_markdown(dir, "# T\n\n" + k_body + "**空间计算**\n\n" + k_body + "**小模型**\n\n" + k_body +
                                              "## 你可能还想看的一篇文章\n\n短短一句。\n");
  CHECK(titles(doc) == std::vector<std::string>{"引言", "空间计算", "小模型"});
}

TEST_CASE("split_sections, short bold questions standing alone over sections are titles: one at the end is not") {
  TempDir dir;
  const Document doc = load_markdown(dir, "# T\n\n" + k_body + "**先了解一下背景。**\n\n" + k_body + "**为什么要这样做？**\n\n" +
                                              k_body + "**它如何工作？**\n\n" + k_body + "**投稿邮箱：someone@example.com**\n");
  CHECK(titles(doc) == std::vector<std::string>{"引言", "先了解一下背景。", "为什么要这样做？", "它如何工作？"});
}

TEST_CASE("split_sections, bold labels repeated under every title are not titles") {
  TempDir dir;
  std::string md = "# T\n\n" + k_body;
  for (const char* title : {"策略模式", "中间件链", "插件架构"})
    md += std::string("**") + title + "**\n\n" + k_body + "**理论补充：**\n\n" + k_body + "**实现方式：**\n\n" + k_body;
  const Document doc = load_markdown(dir, md);
  CHECK(titles(doc) == std::vector<std::string>{"引言", "策略模式", "中间件链", "插件架构"});
}

TEST_CASE("split_sections, number badges over bold lead sentences are the sections' titles") {
  TempDir dir;
  std::string md = "# T\n\n" + k_body;
  for (int i = 1; i <= 3; ++i) md += std::to_string(i) + "\n\n**这是一句加粗的引导句，说的是本节的要点。**\n\n" + k_body;
  const Document doc = load_markdown(dir, md);
  CHECK(titles(doc) == std::vector<std::string>{"引言", "1", "2", "3"});
}

TEST_CASE("split_sections, an article of short sections throughout has no footer: every title stays") {
  TempDir dir;
  std::string md = "# 术语表\n\n";
  for (int i = 1; i <= 40; ++i) md += "**术语" + std::to_string(i * 7) + "号**\n\n一句解释。\n\n";
  const Document doc = load_markdown(dir, md);
  CHECK(titles(doc).size() == 40);
}

TEST_CASE("book title: the page's <h1> below its navigation links, the page's <title> when two <h1> compete") {
  TempDir dir;
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("a.html", "<!DOCTYPE html><title>Intro</title><body><p><a href=\"n.html\">Next</a></p>"
                                        "<h1>Introduction</h1><p>" + k_body + "</p></body>")};
  Diagnostics diags;
  auto doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(doc->meta.title == "Introduction");
  options.inputs = {dir.write("b.html", "<!DOCTYPE html><title>Guide: Intro</title><body><h1>Guide</h1><p>" + k_body +
                                        "</p><h1>Intro</h1><p>" + k_body + "</p></body>")};
  doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(doc->meta.title == "Guide: Intro");
}

namespace {

// Section titles indented by depth, as a reader's table of contents shows them.
std::vector<std::string> toc(const Document& doc) {
  std::vector<std::string> out;
  for (const Section& s : doc.sections) out.push_back(std::string(2 * static_cast<std::size_t>(s.depth - 1), ' ') + s.title);
  return out;
}

}  // namespace

TEST_CASE("split_sections, a title set over two bold lines is one entry") {
  TempDir dir;
  // A label going on in the line below it, under number badges.
  std::string md = "# T\n\n" + k_body;
  for (const char* name : {"一", "二"}) md += std::string("**") + name + "**\n\n**模式" + name + "：**\n\n**对扩展开放，对修改关闭**\n\n" + k_body;
  CHECK(toc(load_markdown(dir, md)) == std::vector<std::string>{"引言", "模式一：对扩展开放，对修改关闭", "模式二：对扩展开放，对修改关闭"});
  // Couplets: two names of about one length, twice; a single short name over a long line is a
  // title and its first part, and three stacked lines are a tagline.
  const std::string couplets = "# T\n\n**全文约五千字**\n\n**页面看起来很长**\n\n**是因为评论很多**\n\n" + k_body +
                               "**时间不是问题**\n\n**问题是我们不肯开始**\n\n" + k_body + "**路在脚下延伸**\n\n**心在远方等候**\n\n" + k_body;
  CHECK(toc(load_markdown(dir, couplets)) == std::vector<std::string>{"引言", "时间不是问题 问题是我们不肯开始", "路在脚下延伸 心在远方等候"});
}

TEST_CASE("split_sections, a label going on after its colon, three times, is a label: not a title") {
  TempDir dir;
  std::string md = "# T\n\n" + k_body;
  for (const char* title : {"策略模式", "中间件链", "插件架构"})
    md += std::string("**") + title + "**\n\n" + k_body + "**示例：" + title + "的实现**\n\n" + k_body;
  CHECK(titles(load_markdown(dir, md)) == std::vector<std::string>{"引言", "策略模式", "中间件链", "插件架构"});
}

TEST_CASE("split_sections, bold lines spread over the sections under dividers are their parts") {
  TempDir dir;
  const std::string divider = "![](https://mmbiz.qpic.cn/mmbiz_png/divider/640?wx_fmt=png)\n\n";
  std::string md = "# T\n\n" + k_body;
  for (const char* part : {"设计原则", "编码实践"})
    md += divider + "**" + part + "**\n\n" + k_body + "**" + part + "之一：开放封闭**\n\n" + k_body + "**" + part + "之二**\n\n" + k_body;
  md += divider + "**结语**\n\n" + k_body;
  CHECK(toc(load_markdown(dir, md)) == std::vector<std::string>{"引言", "设计原则", "  设计原则之一：开放封闭", "  设计原则之二",
                                                               "编码实践", "  编码实践之一：开放封闭", "  编码实践之二", "结语"});
}

TEST_CASE("split_sections, a digest's news headlines under short group names") {
  TempDir dir;
  const std::vector<std::string> news{"监管机构发布新规：平台收费行为须公开透明并接受社会监督",
                                      "某团伙瞄准律师事务所，三个月内发动了数十次定向攻击",
                                      "研究人员首次识别出由大语言模型生成的恶意软件样本",
                                      "云安全调查：九成企业在混合云环境中做出了风险妥协"};
  std::string md = "# T\n\n**本期速览**\n\n- 一条新闻\n- 另一条新闻\n\n**特别关注**\n\n**" + news[0] + "**\n\n" + k_body +
                   "**热点观察**\n\n";
  for (std::size_t i = 1; i < news.size(); ++i) md += "**" + news[i] + "**\n\n" + k_body;
  CHECK(toc(load_markdown(dir, md)) ==
        std::vector<std::string>{"本期速览", "特别关注", "  " + news[0], "热点观察", "  " + news[1], "  " + news[2], "  " + news[3]});
}

TEST_CASE("split_sections, a plain bold name where sections built alike start again is the section's title") {
  TempDir dir;
  std::string md = "# T\n\n";
  for (const char* knot : {"八字结", "称人结", "丁香结"}) {
    md += std::string(knot) == "称人结" ? std::string("**") + knot + "**\n\n" : std::string("## ") + knot + "\n\n";
    md += k_body + "### 用途\n\n" + k_body + "### 缺点\n\n" + k_body;
  }
  CHECK(toc(load_markdown(dir, md)) ==
        std::vector<std::string>{"八字结", "  用途", "  缺点", "称人结", "  用途", "  缺点", "丁香结", "  用途", "  缺点"});
}

TEST_CASE("split_sections, an author's own first section named Introduction takes the text above it") {
  TempDir dir;
  const Document doc = load_markdown(dir, "---\nlang: en\ntitle: Guide\n---\nA note before it all.\n\n## Introduction\n\nText.\n\n## Names\n\nText.\n");
  CHECK(titles(doc) == std::vector<std::string>{"Introduction", "Names"});
  CHECK(plain_text(doc.sections.front().blocks.front().inlines) == "A note before it all.");
}

TEST_CASE("read_markdown, an HTML table an exporter kept is a table, its bold cells no titles") {
  TempDir dir;
  const Document doc = load_markdown(dir, "# T\n\n" + k_body + "<table><tr><td><strong>漏洞名称</strong></td><td>某漏洞</td></tr>"
                                              "<tr><td><strong>影响产品</strong></td><td>某产品</td></tr></table>\n\n" + k_body);
  REQUIRE(doc.sections.size() == 1);
  const Blocks& blocks = doc.sections.front().blocks;
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[1].kind == BlockKind::table);
  CHECK(blocks[1].children.size() == 2);
}

TEST_CASE("read_markdown and read_html, JSON front matter (Hugo's, and a page's leading comment)") {
  TempDir dir;
  CHECK(load_markdown(dir, "{\n  \"title\": \"Keyword Generics\",\n  \"author\": \"Jane\"\n}\n\nBody.\n").meta.title == "Keyword Generics");
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("a.html", "<!--{\n\t\"Title\": \"Effective Go\"\n}-->\n<h2>Introduction</h2><p>" + k_body + "</p>")};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(doc->meta.title == "Effective Go");
}

TEST_CASE("book title: a web page's one visible <h1> over its og:title") {
  TempDir dir;
  BuildOptions options;
  options.embed_images = false;
  options.inputs = {dir.write("a.html", "<!DOCTYPE html><head><meta property=\"og:title\" content=\"5 Types of Reverb: Plate, Room &amp; More\">"
                                        "</head><body><article><h1>Five Kinds of Reverb</h1><p>" + k_body + "</p></article></body>")};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(doc->meta.title == "Five Kinds of Reverb");
}

TEST_CASE("saved WeChat pages: the editor's product card and an account's closing card are not the article's") {
  TempDir dir;
  BuildOptions options;
  options.embed_images = false;
  const std::string card = "<section class=\"cps_inner cps_inner_banner js_product_container\"><h2>一部电影</h2><p>主演：某某</p>"
                           "<span>广告</span></section>";
  options.inputs = {dir.write("a.html", "<!DOCTYPE html><body><div id=\"js_content\"><p>" + k_body + "</p>" + card + "<p>" + k_body +
                                        "</p><p><strong>某某专栏</strong></p><ul><li><a href=\"https://mp.weixin.qq.com/s?__biz=X\">往期一篇</a></li>"
                                        "</ul><p>某某公司是一家提供研究服务的公司。</p></div></body>")};
  Diagnostics diags;
  const auto doc = load_document(options, diags);
  REQUIRE(doc);
  std::string text;
  for (const Section& s : doc->sections)
    for (const Block& b : s.blocks) text += plain_text(b.inlines);
  CHECK(text.find("主演") == std::string::npos);
  CHECK(text.find("往期一篇") == std::string::npos);
  CHECK(text.find("某某公司") == std::string::npos);
  CHECK(text.find("读者一眼就能看出") != std::string::npos);
  CHECK(doc->sections.size() == 1);
}

TEST_CASE("split_sections, exporters' quirks: a heading split at an emoji, a rule under a sentence, code set bold") {
  TempDir dir;
  const Document split = load_markdown(dir, "# T\n\n" + k_body + "#### **🚀\n\n****新的开始**\n\n" + k_body + "#### **🎯\n\n****新的目标**\n\n" + k_body);
  CHECK(titles(split) == std::vector<std::string>{"引言", "🚀新的开始", "🎯新的目标"});
  const Document rule = load_markdown(dir, "# T\n\n" + k_body + "这是一段完整的话，后面跟着作者的分隔线。\n---\n\n" + k_body + "## 第一节\n\n" + k_body +
                                               "## 第二节\n\n" + k_body + "第三节\n---\n\n" + k_body);
  CHECK(titles(rule) == std::vector<std::string>{"引言", "第一节", "第二节", "第三节"});
  const Document code = load_markdown(dir, "# T\n\n" + k_body + "**第一节**\n\n" + k_body + "**`npm install foo`**\n\n" + k_body +
                                               "**第二节**\n\n" + k_body);
  CHECK(titles(code) == std::vector<std::string>{"引言", "第一节", "第二节"});
}

TEST_CASE("split_sections, plain lines numbered 一、 alone are titles: the same lines listed at the top are its contents") {
  TempDir dir;
  std::string md = "# T\n\n**目录**\n\n一、背景介绍\n\n二、漏洞分析\n\n三、漏洞利用\n\n" + k_body;
  md += "一、背景介绍\n\n**1.1 什么是过滤**\n\n" + k_body + "**1.2 为什么是它**\n\n" + k_body;
  md += "二、漏洞分析\n\n" + k_body + "三、漏洞利用\n\n" + k_body;
  CHECK(toc(load_markdown(dir, md)) == std::vector<std::string>{"引言", "一、背景介绍", "  1.1 什么是过滤", "  1.2 为什么是它",
                                                               "二、漏洞分析", "三、漏洞利用"});
}

TEST_CASE("split_sections, a number badge and a mark over a plain line: the plain line is the badge's title") {
  TempDir dir;
  std::string md = "# T\n\n" + k_body;
  for (const char* title : {"逆向目标", "抓包分析", "算法还原"})
    md += std::string("0") + std::to_string(md.size() % 7 + 1) + "\n\n—\n\n" + title + "\n\n" + k_body;
  const Document doc = load_markdown(dir, md);
  CHECK(titles(doc) == std::vector<std::string>{"引言", "逆向目标", "抓包分析", "算法还原"});
}

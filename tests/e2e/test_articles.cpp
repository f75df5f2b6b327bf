// Articles in every style people feed inkpack (tests/fixtures/articles, written for this project):
// each built offline, then checked the way a reader meets the book — the table of contents its
// navigation document shows, the metadata in the package, the text a reading engine extracts —
// against the fixture's .expected file.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <tinyxml2.h>

#include "book.hpp"
#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;
namespace fs = std::filesystem;

namespace {

struct Expectation {
  std::string title, publisher, source, date;
  std::vector<std::string> creators, contributors, tags, absent, present;
  std::string outline;  // as format_outline prints it, title line included
  int decorative = -1;
};

Expectation read_expectation(const fs::path& path) {
  Expectation e;
  std::istringstream in(read_text(path));
  bool in_outline = false;
  for (std::string line; std::getline(in, line);) {
    if (in_outline && line.starts_with("  ")) {
      e.outline += line + "\n";
      continue;
    }
    in_outline = false;
    const std::size_t colon = line.find(": ");
    const std::string key = line.substr(0, line.find(':'));
    const std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
    if (key == "title") e.title = value;
    else if (key == "creator") e.creators.push_back(value);
    else if (key == "contributor") e.contributors.push_back(value);
    else if (key == "publisher") e.publisher = value;
    else if (key == "source") e.source = value;
    else if (key == "date") e.date = value;
    else if (key == "tag") e.tags.push_back(value);
    else if (key == "absent") e.absent.push_back(value);
    else if (key == "present") e.present.push_back(value);
    else if (key == "decorative") e.decorative = std::stoi(value);
    else if (key == "outline") in_outline = true;
  }
  e.outline = e.title + "\n" + e.outline;
  return e;
}

// The nested table of contents of nav.xhtml, printed like format_outline.
void print_list(const tinyxml2::XMLElement* ol, int depth, std::string& out) {
  int number = 0;
  for (const auto* li = ol->FirstChildElement("li"); li; li = li->NextSiblingElement("li")) {
    const auto* a = li->FirstChildElement("a");
    out += std::string(2 * depth, ' ') + std::to_string(++number) + ". " + (a && a->GetText() ? a->GetText() : "") + "\n";
    if (const auto* nested = li->FirstChildElement("ol")) print_list(nested, depth + 1, out);
  }
}

std::string nav_outline(const std::vector<EpubEntry>& entries, const std::string& title) {
  tinyxml2::XMLDocument doc;
  const std::string nav = entry(entries, "EPUB/nav.xhtml");
  REQUIRE(doc.Parse(nav.data(), nav.size()) == tinyxml2::XML_SUCCESS);
  const tinyxml2::XMLElement* toc = doc.RootElement()->FirstChildElement("body")->FirstChildElement("nav");
  std::string out = title + "\n";
  print_list(toc->FirstChildElement("ol"), 1, out);
  return out;
}

std::vector<std::string> people(const Metadata& meta) {
  std::vector<std::string> out;
  for (const std::string& author : meta.authors) out.push_back(author + " | aut");
  return out;
}

std::vector<std::string> contributors(const Metadata& meta) {
  std::vector<std::string> out;
  for (const Contributor& c : meta.contributors) out.push_back(c.name + " | " + c.role);
  return out;
}

void collect_decorative(const Inlines& list, std::set<std::string>& out) {
  for (const Inline& node : list) {
    if (node.kind == InlineKind::image && node.decorative) out.insert(node.target);
    collect_decorative(node.children, out);
  }
}
void collect_decorative(const Blocks& blocks, std::set<std::string>& out) {
  for (const Block& block : blocks) {
    collect_decorative(block.inlines, out);
    collect_decorative(block.children, out);
  }
}

struct Fixture {
  const char* name;
  std::vector<const char*> inputs;
  const char* title = "";
};

void check_fixture(const Fixture& fixture) {
  const fs::path dir = source_dir() / "tests/fixtures/articles";
  const Expectation want = read_expectation(dir / (std::string(fixture.name) + ".expected"));
  TempDir out;
  BuildOptions options;
  for (const char* input : fixture.inputs) options.inputs.push_back(dir / input);
  options.title = fixture.title;
  options.output = out.path() / "book.epub";
  options.timestamp = 1700000000;
  options.images.offline = true;  // the fixtures' images are made up: placeholders
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE(result);
  const Metadata& meta = result->doc.meta;
  const auto entries = read_epub(result->output);

  CHECK(format_outline(result->doc) == want.outline);
  CHECK(nav_outline(entries, meta.title) == want.outline);
  CHECK(meta.title == want.title);
  CHECK(people(meta) == want.creators);
  CHECK(contributors(meta) == want.contributors);
  CHECK(meta.publisher == want.publisher);
  CHECK(meta.source == want.source);
  if (!want.date.empty()) CHECK(meta.date == want.date);
  if (!want.tags.empty()) CHECK(meta.tags == want.tags);

  std::string chapters;  // the body; the title page names the people on purpose
  for (const EpubEntry& e : entries)
    if (e.name.starts_with("EPUB/text/ch")) chapters += e.bytes;
  for (const std::string& gone : want.absent) {
    INFO("absent: " << gone);
    CHECK(chapters.find(gone) == std::string::npos);
  }
  const std::string text = mutool_text(result->output);
  for (const std::string& kept : want.present) {
    INFO("present: " << kept);
    CHECK(text.find(kept) != std::string::npos);
  }
  if (want.decorative >= 0) {
    std::set<std::string> layout;
    for (const Section& section : result->doc.sections) collect_decorative(section.blocks, layout);
    CHECK(layout.size() == static_cast<std::size_t>(want.decorative));
  }
  check_epubcheck_clean(result->output);
}

}  // namespace

TEST_CASE("articles of every style: exact outline, metadata, no chrome, EPUBCheck") {
  const std::vector<Fixture> fixtures = {
      {"bold-titles", {"bold-titles.md"}},
      {"numbered-dividers", {"numbered-dividers.md"}},
      {"two-level", {"two-level.md"}},
      {"headings", {"headings.md"}},
      {"front-matter", {"front-matter.md"}},
      {"wechat-saved", {"wechat-saved.html"}},
      {"three-articles", {"three-articles/a.md", "three-articles/b.html", "three-articles/c.md"}, "三篇合集"},
      {"three-articles", {"three-articles/book.yaml"}},  // the same book from a manifest
  };
  for (const Fixture& fixture : fixtures) {
    DYNAMIC_SECTION(fixture.name << " from " << fixture.inputs.front()) { check_fixture(fixture); }
  }
}

TEST_CASE("a link as input: the page is fetched, read as HTML, its relative image resolved") {
  TestServer server;
  TempDir out;
  BuildOptions options;
  options.inputs = {server.url("/articles/page.html")};
  options.output = out.path() / "web.epub";
  options.timestamp = 1700000000;
  options.images.fetch.retries = 0;
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE(result);
  CHECK(diags.warnings().empty());
  CHECK(format_outline(result->doc) == "网页上的文章\n  1. 引言\n  2. 第一部分\n  3. 第二部分\n");
  CHECK(result->images.fetched == 1);
  REQUIRE(result->doc.media.size() == 1);
  CHECK(result->doc.media[0].media_type == "image/png");
  const std::string text = mutool_text(result->output);
  CHECK(text.find("正文在这里") != std::string::npos);
  CHECK(text.find("首页") == std::string::npos);      // the page's navigation
  CHECK(text.find("版权所有") == std::string::npos);  // and footer
  check_epubcheck_clean(result->output);

  BuildOptions missing = options;
  missing.inputs = {server.url("/articles/gone.html")};
  missing.output = out.path() / "gone.epub";
  const auto failed = build_book(missing, diags);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message.find("could not fetch the page (HTTP 404)") != std::string::npos);
  CHECK_FALSE(fs::exists(out.path() / "gone.epub"));
  missing.inputs = {server.url("/loop.png")};  // redirects forever: said in words, not curl's
  CHECK(build_book(missing, diags).error().message.find("(redirected more than 5 times)") != std::string::npos);

  BuildOptions offline = options;
  offline.images.offline = true;
  const auto refused = build_book(offline, diags);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("not in the download cache, and --offline") != std::string::npos);
}

TEST_CASE("a link as input is cached like its images: the book rebuilds with --offline, or when the server is gone") {
  TempDir out;
  BuildOptions options;
  options.output = out.path() / "web.epub";
  options.timestamp = 1700000000;
  options.images.fetch.retries = 0;
  options.images.cache_dir = out.path() / "cache";
  std::string online_outline;
  {
    TestServer server;
    options.inputs = {server.url("/articles/page.html")};
    Diagnostics diags;
    const auto online = build_book(options, diags);
    REQUIRE(online);
    online_outline = format_outline(online->doc);
    options.images.offline = true;
    const auto offline = build_book(options, diags);
    REQUIRE(offline);
    CHECK(diags.warnings().empty());
    CHECK(format_outline(offline->doc) == online_outline);
    CHECK(offline->doc.media.size() == 1);  // its image resolved against the page's address, from the cache
    CHECK(server.stats().at("/articles/page.html") == 1);
    options.images.offline = false;
  }
  Diagnostics diags;  // the server is gone: the cached copy stands in, with a warning
  const auto fallback = build_book(options, diags);
  REQUIRE(fallback);
  CHECK(format_outline(fallback->doc) == online_outline);
  REQUIRE_FALSE(diags.warnings().empty());
  CHECK(diags.warnings().front().where == options.inputs.front().string());
  CHECK_THAT(diags.warnings().front().message, Catch::StartsWith("could not fetch the page (could not connect to") &&
                                                   Catch::Contains("using the copy cached on"));
}

TEST_CASE("read_html, hostile pages: deep nesting, broken markup, hidden text, placeholders") {
  TempDir dir;
  std::string page = "<!DOCTYPE html><body><article><p>开头。</p>";
  for (int i = 0; i < 15000; ++i) page += "<div>";  // 23,000 levels in all: under the refusal limit
  page += "最深处的字";
  for (int i = 0; i < 5000; ++i) page += "<b>";
  page += "粗体";
  for (int i = 0; i < 2000; ++i) page += "<blockquote>";
  page += "引文";
  for (int i = 0; i < 1000; ++i) page += "<ul><li>";
  page += "列表项 <p style='display: none'>藏起来的字</p><img src='data:image/gif;base64,R0lGOD'>";
  page += "<table><tr><td>格<td>子<tr><td>只有一格</table><p>结尾。</p><script>document.write('脚本')</script>";
  // Unclosed on purpose: the parser closes what the page leaves open.
  Diagnostics diags;
  BuildOptions options;
  options.inputs = {dir.write("deep.html", page)};
  options.output = dir.path() / "deep.epub";
  options.timestamp = 1700000000;
  const auto result = build_book(options, diags);
  REQUIRE(result);
  const auto entries = read_epub(result->output);
  CHECK(xml_problems(entries).empty());
  std::string chapters;
  for (const EpubEntry& e : entries)
    if (e.name.starts_with("EPUB/text/ch")) chapters += e.bytes;
  for (const char* kept : {"开头。", "最深处的字", "粗体", "引文", "列表项", "只有一格", "结尾。"}) {
    INFO(kept);
    CHECK(chapters.find(kept) != std::string::npos);
  }
  for (const char* gone : {"藏起来的字", "脚本", "data:image"}) {
    INFO(gone);
    CHECK(chapters.find(gone) == std::string::npos);
  }
  REQUIRE(diags.warnings().size() == 1);  // flattened, and said so
  CHECK(diags.warnings()[0].message.find("nested too deep were flattened") != std::string::npos);
  check_epubcheck_clean(result->output);
}

TEST_CASE("read_html, WeChat pages as older tools saved them: metadata from scripts and 2017 markup") {
  TempDir dir;
  // Fetched without running its scripts (2018): metadata only in script variables, the link
  // escaped twice (\x26 and &amp;), the body hidden, images only in data-src.
  const std::string fetched = R"(<!DOCTYPE html><html><head><title>
  无关的标题 </title><script>var nickname = "旧页面号"; var msg_title = "脚本里的标题";
var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA==\x26amp;mid=7\x26amp;idx=1#rd"; var ct = "1529491955";
</script></head><body><div id="js_content" style="visibility: hidden;"><p>正文一段。</p>
<p><img data-src="https://mmbiz.qpic.cn/mmbiz_png/x/640?wx_fmt=png"></p></div></body></html>)";
  Diagnostics diags;
  BuildOptions options;
  options.inputs = {dir.write("fetched.html", fetched)};
  options.embed_images = false;
  auto doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(doc->meta.title == "脚本里的标题");
  CHECK(doc->meta.publisher == "旧页面号");
  CHECK(doc->meta.source == "http://mp.weixin.qq.com/s?__biz=MzA==&mid=7&idx=1#rd");
  CHECK(doc->meta.date == "2018-06-20");
  // Saved by a browser in 2017: the account in #post-user, the date in #post-date.
  const std::string saved = R"(<!DOCTYPE html><html><body><h2 id="activity-name"> 二〇一七 </h2>
<a id="post-user" href="#">早年的号</a><em id="post-date">2017-01-18</em>
<div id="js_content"><p>正文。</p></div></body></html>)";
  options.inputs = {dir.write("saved.html", saved)};
  doc = load_document(options, diags);
  REQUIRE(doc);
  CHECK(doc->meta.title == "二〇一七");
  CHECK(doc->meta.publisher == "早年的号");
  CHECK(doc->meta.date == "2017-01-18");
}

TEST_CASE("a manifest that is not one: a clear error") {
  TempDir dir;
  BuildOptions options;
  options.embed_images = false;
  Diagnostics diags;
  for (const auto& [yaml, message] : std::vector<std::pair<std::string, std::string>>{
           {"title: x\n", "needs an `articles:` list"},
           {"articles: [a.md, [b.md]]\n", "must be a file name or a link"},
           {"articles: [a.md\n", "not valid YAML"},
           {"articles: [missing.md]\n", "missing.md"}}) {
    options.inputs = {dir.write("book.yaml", yaml)};
    const auto doc = load_document(options, diags);
    REQUIRE_FALSE(doc);
    INFO(doc.error().message);
    CHECK(doc.error().message.find(message) != std::string::npos);
  }
}

TEST_CASE("a manifest: nested ones expanded, cycles named as a chain, files outside its folder refused unless allowed") {
  TempDir dir;
  const fs::path books = dir.path() / "books";
  fs::create_directories(books / "part");
  dir.write("outside.md", "# Outside\n\nNot the manifest's.\n");
  dir.write("books/one.md", "# One\n\nThe first.\n");
  dir.write("books/part/two.md", "# Two\n\nThe second.\n");
  dir.write("books/part/part.yaml", "articles: [two.md]\n");
  BuildOptions options;
  options.embed_images = false;
  const auto load = [&](const std::string& name, const std::string& yaml, std::vector<Warning>* warnings = nullptr) {
    options.inputs = {dir.write("books/" + name, yaml)};
    Diagnostics diags;
    auto doc = load_document(options, diags);
    if (warnings) *warnings = diags.warnings();
    return doc;
  };

  std::vector<Warning> warnings;
  const auto nested = load("book.yaml", "title: Both\narticles: [one.md, part/part.yaml]\n", &warnings);
  REQUIRE(nested);
  CHECK(format_outline(*nested) == "Both\n  1. One\n  2. Two\n");
  CHECK(warnings.empty());

  const auto errors = [&](const std::string& name, const std::string& yaml) {
    const auto doc = load(name, yaml);
    REQUIRE_FALSE(doc);
    CHECK(doc.error().kind == ErrorKind::failed);
    return doc.error().message;
  };
  const std::string self = (books / "self.yaml").string();
  CHECK(errors("self.yaml", "articles: [one.md, self.yaml]\n") ==
        "manifests list each other in a cycle: " + self + " → " + self + "; remove the entry that leads back");
  dir.write("books/b.yaml", "articles: [a.yaml]\n");
  CHECK(errors("a.yaml", "articles: [b.yaml]\n").starts_with(
      "manifests list each other in a cycle: " + (books / "a.yaml").string() + " → " + (books / "b.yaml").string() +
      " → " + (books / "a.yaml").string()));

  for (const std::string outside : {"../outside.md", "/etc/hostname", "part/../../outside.md"}) {
    INFO(outside);
    const std::string message = errors("out.yaml", "articles: [one.md, '" + outside + "']\n");
    CHECK(message.find("lists " + outside + ", which is outside the manifest's folder") != std::string::npos);
    CHECK(message.find("--allow-outside-articles") != std::string::npos);
  }
  fs::create_symlink(dir.path() / "outside.md", books / "inside-link.md");
  CHECK_THAT(errors("link.yaml", "articles: [inside-link.md]\n"), Catch::Contains("outside the manifest's folder"));
  options.allow_outside_articles = true;
  const auto allowed = load("out.yaml", "articles: [one.md, ../outside.md]\n");
  REQUIRE(allowed);
  CHECK(format_outline(*allowed).find("Outside") != std::string::npos);
  options.allow_outside_articles = false;

  CHECK(errors("gap.yaml", "articles: [one.md, nope.md]\n") ==
        (books / "gap.yaml").string() + ": lists nope.md, which is not there (" + (books / "nope.md").string() +
            "); correct the entry or remove it");

  REQUIRE(load("typo.yaml", "titel: Typo\nlang: en\narticles: [one.md]\n", &warnings));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].where == (books / "typo.yaml").string());
  CHECK(warnings[0].detail == "titel");
  CHECK_THAT(warnings[0].message, Catch::Contains("does not know") && Catch::Contains("title"));
}

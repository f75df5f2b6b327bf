// Issue 15, items 4 and 5: notes made EPUB 3 notes (Markdown footnotes and WeChat-style reference
// lists), and code in saved pages kept line by line. Invented articles of the shapes real ones
// have; the book is looked at as a reader meets it (the XHTML, MuPDF's text, EPUBCheck).
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

std::string all_chapters(const Built& book) {
  std::string xhtml;
  for (const EpubEntry& e : read_epub(book.epub))
    if (e.name.starts_with("EPUB/text/ch")) xhtml += e.bytes;
  return xhtml;
}

std::vector<std::string> matches(const std::string& text, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// Every in-book link of a note reference or a back link goes to an id that exists, in the file named.
void check_note_links(const Built& book) {
  std::map<std::string, std::string> ids;  // file → its text
  for (const EpubEntry& e : read_epub(book.epub))
    if (e.name.starts_with("EPUB/text/")) ids[e.name.substr(10)] = e.bytes;
  int links = 0;
  for (const auto& [file, xhtml] : ids)
    for (const std::string& href : matches(xhtml, R"(<a [^>]*href="([^"]*#[^"]+)\"[^>]*(?:noteref|doc-backlink))")) {
      const std::size_t hash = href.find('#');
      const std::string target = hash == 0 ? file : href.substr(0, hash);
      INFO(file << " links to " << href);
      REQUIRE(ids.contains(target));
      CHECK(ids[target].find("id=\"" + href.substr(hash + 1) + "\"") != std::string::npos);
      ++links;
    }
  CHECK(links > 0);
}

const char* const k_footnotes =
    "# Lanterns of the Old Harbour\n\n"
    "The harbour kept its lanterns lit all night.[^night] Nobody remembers who started it.[^who]\n\n"
    "## The keepers\n\n"
    "Each keeper had a brass key,[^night] and `a[^who]` in code stays as written.\n\n"
    "[^night]: Until the electric lamps came in the spring of the flood year.\n"
    "[^who]: Some say a ferryman,\n"
    "who paid for the oil himself.\n\n"
    "    A second paragraph of the same note.\n";

}  // namespace

TEST_CASE("notes: Markdown footnotes become numbered references and notes that link back") {
  TempDir dir;
  const Built book = build_markdown(dir, k_footnotes);
  const std::string xhtml = all_chapters(book);
  CHECK(xhtml.find("<code>a[^who]</code>") != std::string::npos);
  // The references: raised numbers in order of first use, the <a> inside the <sup>.
  const auto refs = matches(xhtml, R"(<sup><a class="noteref" id="[^"]+" href="[^"]+" epub:type="noteref" role="doc-noteref">(\d+)</a></sup>)");
  CHECK(refs == std::vector<std::string>{"1", "2", "1"});
  // The notes: one endnotes section, each note marked as a footnote, opening with its number.
  CHECK(matches(xhtml, R"(<div class="notes" (epub:type="footnotes") role="doc-endnotes">)").size() == 1);
  const auto notes = matches(xhtml, R"(<div class="note" id="[^"]+" epub:type="footnote" role="doc-footnote">(.*?)</div>)");
  REQUIRE(notes.size() == 2);
  CHECK(std::regex_search(notes[0], std::regex(R"(^<p><a class="note-number" href="[^"]*#[^"]+-ref" role="doc-backlink">1</a>\. Until the electric lamps)")));
  CHECK(notes[1].find("Some say a ferryman, who paid for the oil himself.") != std::string::npos);
  CHECK(notes[1].find("<p>A second paragraph of the same note.</p>") != std::string::npos);
  check_note_links(book);
  check_epubcheck_clean(book.epub);
  const std::string text = mutool_text(book.epub);
  CHECK(text.find("Until the electric lamps came in the spring") != std::string::npos);
  CHECK(text.find("A second paragraph of the same note.") != std::string::npos);
}

TEST_CASE("notes: a WeChat reference list under 参考资料 becomes notes the markers link to") {
  TempDir dir;
  const Built book = build_markdown(dir,
      "# 港口的灯\n\n"
      "## 起源\n\n"
      "老港口的灯整夜亮着[1]，据说这个习惯已经延续了一百年［2］。\n\n"
      "## 守灯人\n\n"
      "守灯人每天傍晚点灯[1]，数组下标 a[3] 不是注释。\n\n"
      "**参考资料**\n\n"
      "[1] 港口志编委会. 港口志[M]. 海城出版社, 1998.\n"
      "[2] 李四. 灯与海[J]. 海城文史, 2005(3): 12-15.\n");
  const std::string xhtml = all_chapters(book);
  const auto refs = matches(xhtml, R"(epub:type="noteref" role="doc-noteref">(\d+)</a>)");
  CHECK(refs == std::vector<std::string>{"1", "2", "1"});
  CHECK(xhtml.find("a[3]") != std::string::npos);  // no entry 3: a bracket stays text
  // The author's title stays, the entries follow it as notes, in the author's numbers.
  CHECK(xhtml.find("<strong>参考资料</strong>") != std::string::npos);
  const auto notes = matches(xhtml, R"(<div class="note" id="[^"]+" epub:type="footnote" role="doc-footnote">(.*?)</div>)");
  REQUIRE(notes.size() == 2);
  CHECK(notes[1].find(">2</a>. 李四. 灯与海[J]") != std::string::npos);
  check_note_links(book);
  check_epubcheck_clean(book.epub);
  const std::string text = mutool_text(book.epub);
  CHECK(text.find("港口志编委会") != std::string::npos);
  CHECK(text.find("李四") != std::string::npos);
}

TEST_CASE("notes: brackets without a reference list, or a list nothing refers to, stay as written") {
  TempDir dir;
  const Built stray = build_markdown(dir, "# 标题\n\n第一段[1]里有方括号。\n\n第二段 [2] 也有。\n");
  CHECK(all_chapters(stray).find("noteref") == std::string::npos);
  CHECK(all_chapters(stray).find("第一段[1]里") != std::string::npos);
  TempDir dir2;
  const Built unreferenced = build_markdown(dir2, "# 标题\n\n正文没有标记。\n\n**参考文献**\n\n[1] 某书.\n\n[2] 某文.\n");
  CHECK(all_chapters(unreferenced).find("footnote") == std::string::npos);
  CHECK(all_chapters(unreferenced).find("[1] 某书.") != std::string::npos);
}

TEST_CASE("notes: a saved WeChat page's <sup> markers and its reference list") {
  TempDir dir;
  const Built book = build_saved_page(dir,
      "<html><head><title>灯塔</title></head><body><div id=\"js_content\">"
      "<p>灯塔建于清末<sup>[1]</sup>，后来重修过一次<sup>2</sup>。</p>"
      "<p><strong>参考文献</strong></p>"
      "<p>[1] 王五. 灯塔史话[M]. 1990.</p>"
      "<p>[2] 赵六. 重修记[J]. 2001.</p>"
      "</div></body></html>");
  const std::string xhtml = all_chapters(book);
  CHECK(matches(xhtml, R"(role="doc-noteref">(\d+)</a>)") == std::vector<std::string>{"1", "2"});
  CHECK(matches(xhtml, R"((role="doc-footnote"))").size() == 2);
  check_note_links(book);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("notes: ids stay unique in a book of several articles and links survive file splits") {
  TempDir dir;
  std::string long_text;
  for (int i = 0; i < 4000; ++i) long_text += "The lanterns burned through the long winter night. ";
  const auto first = dir.write("one.md", std::string(k_footnotes) + "\n" + long_text + "\n");
  const auto second = dir.write("two.md", k_footnotes);
  BuildOptions options;
  options.inputs = {first, second};
  options.output = dir.path() / "book.epub";
  options.timestamp = 1700000000;
  Diagnostics diags;
  auto result = build_book(options, diags);
  REQUIRE(result);
  const Built book{result->output, std::move(result->doc), diags.warnings()};
  const std::string xhtml = all_chapters(book);
  const auto ids = matches(xhtml, R"re(<div class="note" id="([^"]+)")re");
  REQUIRE(ids.size() == 4);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 4);
  check_note_links(book);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("code: a saved page's code keeps its lines and indentation, one element a line") {
  TempDir dir;
  const Built book = build_saved_page(dir,
      "<html><head><title>代码</title></head><body><div id=\"js_content\">"
      "<p>下面是一段代码：</p>"
      "<section class=\"code-snippet__fix code-snippet__js\">"
      "<ul class=\"code-snippet__line-index code-snippet__js\"><li></li><li></li><li></li><li></li></ul>"
      "<pre class=\"code-snippet__js\" data-lang=\"javascript\">"
      "<code><span class=\"code-snippet_outer\">function lamp(oil) {</span></code>"
      "<code><span class=\"code-snippet_outer\">&nbsp;&nbsp;if (oil &gt; 0) {</span></code>"
      "<code><span class=\"code-snippet_outer\">&nbsp;&nbsp;&nbsp;&nbsp;return <span class=\"code-snippet__string\">'lit'</span>;</span></code>"
      "<code><span class=\"code-snippet_outer\"><br></span></code>"
      "<code><span class=\"code-snippet_outer\">&nbsp;&nbsp;}</span></code>"
      "<code><span class=\"code-snippet_outer\">}</span></code>"
      "</pre></section>"
      "<pre><code>first = 1<br>&nbsp;&nbsp;second = 2<br></code></pre>"
      "<p>代码之后的一段。</p>"
      "</div></body></html>");
  const std::string xhtml = all_chapters(book);
  CHECK(xhtml.find("<pre><code class=\"language-javascript\">"
                   "<span class=\"line\">function lamp(oil) {</span>"
                   "<span class=\"line\">  if (oil &gt; 0) {</span>"
                   "<span class=\"line\">    return 'lit';</span>"
                   "<span class=\"line\"> </span>"
                   "<span class=\"line\">  }</span>"
                   "<span class=\"line\">}</span></code></pre>") != std::string::npos);
  CHECK(xhtml.find("<span class=\"line\">first = 1</span><span class=\"line\">  second = 2</span></code>") !=
        std::string::npos);
  CHECK(xhtml.find("<ul") == std::string::npos);  // WeChat's line-number column is not a list
  check_epubcheck_clean(book.epub);
  const std::string text = mutool_text(book.epub);
  CHECK(text.find("function lamp(oil) {\n") != std::string::npos);
  CHECK(text.find("return 'lit';") != std::string::npos);
}

TEST_CASE("code: the stylesheet hangs a wrapped code line under its start") {
  TempDir dir;
  const Built book = build_markdown(dir, "# T\n\n```\nint x = 1;\n```\n");
  const std::string css = entry(read_epub(book.epub), "EPUB/styles/book.css");
  CHECK(css.find("pre .line { display: block; padding-left: 2em; text-indent: -2em; }") != std::string::npos);
  CHECK(all_chapters(book).find("<span class=\"line\">int x = 1;</span>") != std::string::npos);
}

TEST_CASE("notes: a reference list written as an ordered list under References") {
  TempDir dir;
  const Built book = build_markdown(dir,
      "# Harbour lights\n\n"
      "The lights were first lit in the old town [1] and later moved to the pier [2].\n\n"
      "## References\n\n"
      "1. Town council, *Harbour records*, 1901.\n"
      "2. Pier company, annual report, 1920.\n");
  const std::string xhtml = all_chapters(book);
  CHECK(matches(xhtml, R"(role="doc-noteref">(\d+)</a>)") == std::vector<std::string>{"1", "2"});
  CHECK(xhtml.find(">References</h") != std::string::npos);  // the author's title stays
  CHECK(matches(xhtml, R"((role="doc-footnote"))").size() == 2);
  CHECK(xhtml.find("<em>Harbour records</em>") != std::string::npos);
  check_note_links(book);
  check_epubcheck_clean(book.epub);
}

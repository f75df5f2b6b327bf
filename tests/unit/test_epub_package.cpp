// The EPUB container and package: what reading systems and EPUBCheck look at first.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <regex>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/codec.hpp"
#include "util/files.hpp"
#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

const char* k_odd_markdown =
    "# Odd & <Ends>\n\n"
    "Raw <script>alert('x')</script> and <b>bold <i>unclosed\n\n"
    "<div onclick=\"x()\">html <em>block</em><iframe src=\"x\"></iframe></div>\n\n"
    "<!-- comment --> Entities: &amp; &copy; &#x1F600; &#0; &bogus; & < >\n\n"
    "> > > > > > > > > deep\n\n"
    "- a\n  - b\n    - c\n      - d\n        1. e\n\n"
    "| a | b |\n|:--|:-:|\n| <br> | `x<y` |\n\n"
    "```c&\nint main() { return 1 < 2; }\n```\n\n"
    "Broken bytes \xFF\xFE here and \x0B there.\n\n"
    "![](missing.png) [](#) [x]()\n\n"
    "***\n\n~~gone~~ and - [ ] task\n\n"
    "> - quoted\n>   - list\n>     - four\n>       - levels\n>         - deep\n\n"
    "[spaced](<https://example.com/a b>) <a href=\"https://e.com/c d%zz\">outer [inner](https://b.example/)</a>\n\n"
    "<button> in prose\n\nf(**kwargs)\n\n2**10 \\*\\*escaped\\*\\*\n";

}  // namespace

TEST_CASE("write_epub, odd Markdown still gives well-formed XHTML that EPUBCheck accepts") {
  TempDir dir;
  BuildOptions options;
  options.keep_extras = true;  // all of the odd Markdown is written, none left out as end matter
  const Built book = build_markdown(dir, k_odd_markdown, options);
  const auto entries = read_epub(book.epub);
  CHECK(xml_problems(entries).empty());
  const std::string chapter = entry(entries, "EPUB/text/ch001.xhtml");
  CHECK(chapter.find("<script") == std::string::npos);
  CHECK(chapter.find("onclick") == std::string::npos);
  CHECK(chapter.find("<iframe") == std::string::npos);
  CHECK(chapter.find("&lt;script&gt;") != std::string::npos);  // inline: shown as text, inert
  CHECK(chapter.find("<strong>bold <em>unclosed</em></strong>") != std::string::npos);
  CHECK(chapter.find("href=\"https://example.com/a%20b\"") != std::string::npos);
  CHECK(chapter.find("href=\"https://b.example/\"") == std::string::npos);  // no link in a link
  CHECK(chapter.find("<p>&lt;button&gt; in prose</p><p>f(**kwargs)</p><p>2**10 **escaped**</p>") != std::string::npos);
  CHECK(chapter.find("<li>deep</li>") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("read_markdown, hostile nesting is flattened into a book reading systems can parse") {
  TempDir dir;
  std::string md = std::string(10000, '>') + " deep quote\n\n";
  for (int i = 0; i < 300; ++i) md += std::string(2 * i, ' ') + "- level\n";
  md += "\n";
  // 10,000 lists, one inside the other, on one line: `- - - … deepest item`.
  for (int i = 0; i < 10000; ++i) md += "- ";
  md += "deepest item\n\n";
  for (int i = 0; i < 20000; ++i) md += "<b>";
  md += "text in deep bold\n\n";
  for (int i = 0; i < 3000; ++i) md += "*a ";
  md += "\n";
  const Built book = build_markdown(dir, md);
  CHECK(book.warnings.size() == 1);
  const auto entries = read_epub(book.epub);
  CHECK(xml_problems(entries).empty());  // tinyxml2 itself refuses documents nested past 100
  const std::string text = mutool_text(book.epub);
  CHECK(text.find("deep quote") != std::string::npos);
  CHECK(text.find("text in deep bold") != std::string::npos);
  CHECK(text.find("deepest item") != std::string::npos);
}

TEST_CASE("build_book, hostile sizes and metadata still give a valid book") {
  TempDir dir;
  SECTION("a 300 KB link destination (regex engines recurse per character)") {
    const Built book = build_markdown(dir, "[x](&" + std::string(300000, 'a') + ")\n");
    CHECK(xml_problems(read_epub(book.epub)).empty());
  }
  SECTION("a 200 000-character line against a --sections regex") {
    BuildOptions options;
    options.sections = {"/^第.*章$/"};
    const Built book = build_markdown(dir, std::string(200000, 'x') + "\n\n第一章\n\ntext\n", options);
    CHECK(titles(book.doc) == std::vector<std::string>{"Introduction", "第一章"});
  }
  SECTION("an article that is only a title") {
    const Built book = build_markdown(dir, "# Only a title\n");
    check_epubcheck_clean(book.epub);
  }
  SECTION("front matter with control characters, blanks and a malformed language") {
    const Built book = build_markdown(dir,
        "---\ntitle: \"Bad\\x01title\"\nauthor: \"\"\ntags: [\"\"]\nlang: zh_CN\ndate: someday\n---\n中文。\n");
    const std::string opf = entry(read_epub(book.epub), "EPUB/content.opf");
    CHECK(opf.find("<dc:language>zh-CN</dc:language>") != std::string::npos);
    CHECK(opf.find("dc:creator") == std::string::npos);
    CHECK(opf.find("dc:date") == std::string::npos);
    CHECK(book.warnings.size() == 1);
    check_epubcheck_clean(book.epub);
  }
}

TEST_CASE("zip_entries, mimetype first, stored, without extra field") {
  TempDir dir;
  const Built book = build_markdown(dir, "# T\n\nText.\n");
  const auto entries = read_epub(book.epub);
  REQUIRE(entries.size() >= 6);
  CHECK(entries[0].name == "mimetype");
  CHECK(entries[0].bytes == "application/epub+zip");
  CHECK(entries[0].stored);
  CHECK(entries[0].extra_field_size == 0);
  CHECK(entries[1].name == "META-INF/container.xml");
}

TEST_CASE("write_opf, metadata a reading system shows") {
  TempDir dir;
  BuildOptions options;
  options.timestamp = 86400 * 365;
  const Built book = build_markdown(dir, "---\nauthor: 林小满\n---\n# 标题\n\n中文正文。\n", options);
  const std::string opf = entry(read_epub(book.epub), "EPUB/content.opf");
  CHECK(opf.find("<dc:title>标题</dc:title>") != std::string::npos);
  CHECK(opf.find("<dc:language>zh-CN</dc:language>") != std::string::npos);
  CHECK(opf.find("<dc:creator id=\"person-1\">林小满</dc:creator>") != std::string::npos);
  CHECK(opf.find("<meta refines=\"#person-1\" property=\"role\" scheme=\"marc:relators\">aut</meta>") != std::string::npos);
  CHECK(opf.find("<meta property=\"dcterms:modified\">1971-01-01T00:00:00Z</meta>") != std::string::npos);
  CHECK(std::regex_search(opf, std::regex("<dc:identifier id=\"book-id\">urn:uuid:[0-9a-f-]{36}</dc:identifier>")));
  BuildOptions english;
  english.language = "en";
  const Built other = build_markdown(dir, "# 标题\n\n中文正文。\n", english);
  CHECK(entry(read_epub(other.epub), "EPUB/content.opf").find("<dc:language>en</dc:language>") != std::string::npos);
}

TEST_CASE("write_epub, the title page names several authors as the language lists them") {
  TempDir dir;
  const Built chinese = build_markdown(dir, "---\nauthor: [林小满, 周一]\n---\n# 标题\n\n中文正文。\n");
  CHECK(entry(read_epub(chinese.epub), "EPUB/text/title.xhtml").find(">林小满、周一<") != std::string::npos);
  const Built english = build_markdown(dir, "---\nauthor: [Ann Lee, Bo Chen]\n---\n# Title\n\nSome text.\n");
  CHECK(entry(read_epub(english.epub), "EPUB/text/title.xhtml").find(">Ann Lee, Bo Chen<") != std::string::npos);
}

TEST_CASE("build_book, same input and SOURCE_DATE_EPOCH give identical bytes") {
  TempDir dir;
  SECTION("in any time zone, even in a daylight-saving gap") {
    BuildOptions options;
    options.timestamp = 1710037800;  // 2024-03-10 02:30 UTC: no such time in New York
    const char* old_tz = std::getenv("TZ");
    const std::string saved = old_tz ? old_tz : "";
    std::vector<std::string> books;
    for (const char* tz : {"UTC0", "America/New_York", "Asia/Shanghai"}) {
      setenv("TZ", tz, 1);
      tzset();
      options.output = dir.path() / (std::string("tz-") + std::to_string(books.size()) + ".epub");
      books.push_back(read_text(build_markdown(dir, "# T\n\ntext\n", options).epub));
    }
    old_tz ? setenv("TZ", saved.c_str(), 1) : unsetenv("TZ");
    tzset();
    CHECK(books[0] == books[1]);
    CHECK(books[0] == books[2]);
  }
  BuildOptions a, b;
  a.output = dir.path() / "a.epub";
  b.output = dir.path() / "b.epub";
  const Built first = build_markdown(dir, "# T\n\n**One**\n\nText ![](x.png)\n", a);
  const Built second = build_markdown(dir, "# T\n\n**One**\n\nText ![](x.png)\n", b);
  CHECK(read_text(first.epub) == read_text(second.epub));
}

TEST_CASE("nav and NCX, one entry per section, in agreement") {
  TempDir dir;
  const Built book = build_markdown(dir, "# Book\n\nIntro.\n\n## A\n\nx\n\n## B\n\ny\n");
  const auto entries = read_epub(book.epub);
  const std::vector<std::string> expected{"Introduction", "A", "B"};
  CHECK(nav_titles(entries) == expected);
  CHECK(ncx_titles(entries) == expected);
  CHECK(entry(entries, "EPUB/text/ch003.xhtml").find("<h1 id=\"sec-3\">B</h1>") != std::string::npos);
}

TEST_CASE("write_chapters, a section over 250 KB continues in further files") {
  TempDir dir;
  std::string md = "# Big\n\n";
  for (int i = 0; i < 4000; ++i) md += "这是一个很长的段落，用来把一个章节撑到二百五十千字节以上。" + std::to_string(i) + "\n\n";
  const Built book = build_markdown(dir, md);
  const auto entries = read_epub(book.epub);
  std::size_t files = 0;
  for (const EpubEntry& e : entries) {
    if (!e.name.starts_with("EPUB/text/")) continue;
    ++files;
    CHECK(e.bytes.size() < 300 * 1024);
  }
  CHECK(files >= 2);
  CHECK(nav_titles(entries).size() == 1);
  CHECK(xml_problems(entries).empty());
  const std::string text = mutool_text(book.epub);
  CHECK(text.find("3999") != std::string::npos);
}

TEST_CASE("write_chapters, one huge list or table is split across files") {
  TempDir dir;
  std::string md = "# Big\n\n";
  for (int i = 0; i < 12000; ++i) md += "1. item number " + std::to_string(i) + " with a few words\n";
  md += "\n| a | b |\n|---|---|\n";
  for (int i = 0; i < 12000; ++i) md += "| row " + std::to_string(i) + " | value |\n";
  const Built book = build_markdown(dir, md);
  const auto entries = read_epub(book.epub);
  std::size_t files = 0;
  for (const EpubEntry& e : entries) {
    if (!e.name.starts_with("EPUB/text/ch")) continue;
    ++files;
    CHECK(e.bytes.size() < 256 * 1024);
    CHECK(e.bytes.size() > 20 * 1024);  // never a file holding only the heading
  }
  CHECK(files >= 4);
  CHECK(xml_problems(entries).empty());
  CHECK(entry(entries, "EPUB/text/ch001-2.xhtml").find("<ol start=\"") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("embed images, local files are embedded with the type their bytes say") {
  TempDir dir;
  const std::string png = read_text(source_dir() / "samples/sample-article/images/steps.png");
  dir.write("pics/named-like-a.jpg", png);
  const Built book = build_markdown(dir, "# T\n\n![one](pics/named-like-a.jpg)\n\n![again](pics/named-like-a.jpg)\n");
  CHECK(book.warnings.empty());
  REQUIRE(book.doc.media.size() == 1);
  CHECK(book.doc.media[0].media_type == "image/png");
  const auto entries = read_epub(book.epub);
  const std::string stored = entry(entries, "EPUB/images/img-001.png");
  CHECK(stored.size() <= png.size());  // re-encoded only where that made it smaller
  const auto info = probe_image(stored);
  REQUIRE(info);
  CHECK(info->media_type == "image/png");
  CHECK(info->width == 420);
  CHECK(info->height == 120);
  CHECK(entry(entries, "EPUB/content.opf").find("media-type=\"image/png\"") != std::string::npos);
}

TEST_CASE("embed images, what cannot be had becomes a visible placeholder and a warning") {
  TempDir dir;
  dir.write("broken.png", "\x89PNG\r\n\x1a\n not really");
  dir.write("text.png", "hello");
  const Built book = build_markdown(dir,
      "# T\n\n![a chart](nowhere.png)\n\n![](broken.png)\n\n![](text.png)\n\n![remote](https://example.com/r.jpg)\n");
  CHECK(book.warnings.size() == 4);
  CHECK(book.doc.media.empty());
  const auto entries = read_epub(book.epub);
  const std::string chapter = entry(entries, "EPUB/text/ch001.xhtml");
  CHECK(chapter.find("a chart") != std::string::npos);
  CHECK(chapter.find("nowhere.png") != std::string::npos);
  CHECK(chapter.find("https://example.com/r.jpg") != std::string::npos);
  const std::string text = mutool_text(book.epub);
  CHECK(text.find("Image not included in this book: a chart") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("build_book, --strict fails on warnings and writes nothing") {
  TempDir dir;
  BuildOptions options;
  options.strict = true;
  options.inputs = {dir.write("article.md", "![](missing.png)\n")};
  options.output = dir.path() / "book.epub";
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE_FALSE(result);
  CHECK(result.error().message.find("--strict") != std::string::npos);
  CHECK(result.error().kind == ErrorKind::strict);
  CHECK_FALSE(std::filesystem::exists(*options.output));
}

TEST_CASE("build_book, the kind of error says whose it is: an option value, the input, or --strict") {
  TempDir dir;
  BuildOptions base;
  base.inputs = {dir.write("article.md", "# T\n\n![](missing.png)\n")};  // one warning
  base.output = dir.path() / "book.epub";
  base.strict = true;  // a bad option is still the command line's fault after a warning
  const auto kind_of = [](const BuildOptions& options) {
    Diagnostics diags;
    const auto result = build_book(options, diags);
    REQUIRE_FALSE(result);
    INFO(result.error().message);
    CHECK(result.error().message.find("; ") != std::string::npos);  // what to do follows what failed
    return result.error().kind;
  };
  BuildOptions options = base;
  options.language = "x y";
  CHECK(kind_of(options) == ErrorKind::usage);
  options = base;
  options.sections = {"/[/"};
  CHECK(kind_of(options) == ErrorKind::usage);
  options = base;
  options.font = "no-such-font";
  CHECK(kind_of(options) == ErrorKind::usage);
  options = base;
  options.cover = base.inputs.front();  // text, not a picture
  CHECK(kind_of(options) == ErrorKind::usage);
  options = base;
  options.inputs = {dir.path() / "missing.md"};
  CHECK(kind_of(options) == ErrorKind::failed);
  CHECK(kind_of(base) == ErrorKind::strict);
  CHECK_FALSE(std::filesystem::exists(*base.output));
}

TEST_CASE("build_book, a failed build leaves the earlier book untouched") {
  TempDir dir;
  const Built book = build_markdown(dir, "# T\n\nText.\n");
  const std::string before = read_text(book.epub);
  BuildOptions options;
  options.inputs = {dir.write("article.md", "# T\n\nText.\n")};
  options.output = book.epub;
  options.templates = dir.path() / "broken-templates";
  dir.write("broken-templates/EPUB/text/chapter.xhtml", "<html><body>not closed");
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE_FALSE(result);
  CHECK(result.error().message.find("chapter.xhtml") != std::string::npos);
  CHECK(read_text(book.epub) == before);
  for (const auto& file : std::filesystem::directory_iterator(dir.path()))
    CHECK(file.path().filename().string().find(".inkpack-tmp-") == std::string::npos);
}

TEST_CASE("build_book, writes through a symlink and refuses non-files") {
  TempDir dir;
  std::filesystem::create_symlink("real.epub", dir.path() / "link.epub");
  BuildOptions options;
  options.output = dir.path() / "link.epub";
  build_markdown(dir, "# T\n\nText.\n", options);
  CHECK(std::filesystem::is_symlink(dir.path() / "link.epub"));
  CHECK(std::filesystem::file_size(dir.path() / "real.epub") > 0);
  BuildOptions device;
  device.inputs = {dir.path() / "article.md"};
  device.output = "/dev/null";
  Diagnostics diags;
  const auto result = build_book(device, diags);
  REQUIRE_FALSE(result);
  CHECK(result.error().message.find("not a regular file") != std::string::npos);
}

TEST_CASE("build_book, never overwrites an input") {
  TempDir dir;
  const std::string article = "# T\n\nText.\n";
  const std::filesystem::path input = dir.write("article.md", article);
  BuildOptions options;
  options.inputs = {input};
  options.output = input;
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == ErrorKind::failed);
  CHECK(result.error().message == input.string() + ": is one of the articles (" + input.string() +
                                      "), which the book would overwrite: choose another output path with -o");
  CHECK(read_text(input) == article);
}

TEST_CASE("read_file, whole files and pipes, byte for byte") {
  TempDir dir;
  std::string big(3 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
  REQUIRE(write_file_atomically(dir.path() / "big.bin", big));
  CHECK(read_file(dir.path() / "big.bin").value() == big);

  const auto fifo = dir.path() / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::jthread writer([&] { std::ofstream(fifo, std::ios::binary) << big.substr(0, 200000); });
  const auto piped = read_file(fifo);
  // Should read_file give up before opening the pipe, the writer still waits for a reader.
  if (const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK); fd >= 0) ::close(fd);
  CHECK(piped.value() == big.substr(0, 200000));

  CHECK_FALSE(read_file(dir.path() / "missing"));
  CHECK(read_file("/dev/zero").error().message.find("a device") != std::string::npos);
  CHECK(read_file(dir.path() / "big.bin", 1000).error().message.find("larger than 1 KB") != std::string::npos);
  CHECK(read_file(dir.path()).error().message.find("directory") != std::string::npos);
}

TEST_CASE("build_book, an image that is a device or a folder is refused, not read") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "folder.png");
  const Built book = build_markdown(dir, "# T\n\n![zero](/dev/zero)\n\n![folder](folder.png)\n\n![gone](gone.png)\n");
  REQUIRE(book.warnings.size() == 3);
  CHECK(book.warnings[0].message.find("/dev/zero: not a file") != std::string::npos);
  CHECK(book.warnings[1].message.find("folder.png: not a file") != std::string::npos);
  CHECK(book.warnings[2].message.find("gone.png: No such file or directory") != std::string::npos);
  CHECK(book.doc.media.empty());
}

TEST_CASE("write_file_atomically, leaves files beside the output that it did not make") {
  // A killed writer's own file is removed: "a build removes a killed writer's temporary file…".
  TempDir dir;
  const auto mkstemp_like = dir.path() / ".book.epub.Ab12Cd";
  const auto unmarked = dir.path() / ".book.epub.inkpack-tmp-Xy34Zw";  // named like ours, not made by us
  const auto other = dir.path() / ".notes.txt.inkpack-tmp-Ab12Cd";     // another file's
  for (const auto& p : {mkstemp_like, unmarked, other}) std::ofstream(p) << "partial";
  REQUIRE(write_file_atomically(dir.path() / "book.epub", "whole"));
  for (const auto& p : {mkstemp_like, unmarked, other}) CHECK(read_text(p) == "partial");
  CHECK(read_text(dir.path() / "book.epub") == "whole");
}

TEST_CASE("Templates, a user's template replaces the built-in one") {
  TempDir dir;
  BuildOptions options;
  options.templates = dir.path() / "mine";
  dir.write("mine/EPUB/styles/book.css", "p { margin: 0; }\n");
  const Built book = build_markdown(dir, "# T\n\nText.\n", options);
  // The user's stylesheet, then the embedded font's rules.
  const std::string css = entry(read_epub(book.epub), "EPUB/styles/book.css");
  CHECK(css.starts_with("p { margin: 0; }\n"));
  CHECK(css.find("line-height") == std::string::npos);
}

TEST_CASE("default_output, a file name Windows and Android accept") {
  CHECK(default_output("2024，7大机会") == std::filesystem::path("dist/2024，7大机会.epub"));
  CHECK(default_output("a/b:c*?\"<>|") == std::filesystem::path("dist/a_b_c______.epub"));
  CHECK(default_output("CON") == std::filesystem::path("dist/CON_.epub"));
  CHECK(default_output("  . ") == std::filesystem::path("dist/book.epub"));
  CHECK(default_output(std::string(400, 'x')).filename().string().size() <= 130);
}

// What a reader meets before and around the text: the cover, the embedded font, the device
// profile's images, the stylesheet, accessibility metadata, and the store preflight.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "check/preflight.hpp"
#include "epub/zip_writer.hpp"
#include "image/codec.hpp"
#include "support/helpers.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

// A colour photograph-like picture: noise over a gradient, so it stays a JPEG.
std::string colour_photo(int width, int height) {
  Pixels p = Pixels::allocate(width, height, 3);
  unsigned seed = 7;
  for (std::size_t i = 0; i < p.size(); ++i) {
    seed = seed * 1103515245 + 12345;
    p.data[i] = static_cast<unsigned char>((i % 3 == 0 ? 160 : 40) + (seed >> 26));
  }
  return encode_jpeg(p, 90);
}

const char* const k_article =
    "---\ntitle: 山居笔记\nauthor: 林小满\npublisher: 小满的茶园\n---\n\n"
    "# 山居笔记\n\n清晨的雾气从山谷里升起，茶树的叶子上挂满了露水。\n\n![采茶的人](photo.jpg)\n\n"
    "## 午后\n\nThe afternoon light falls on the terraces, and the pickers rest.\n";

// What the stylesheet declares for `selector`, written as one of a rule's selectors: property
// to value, a later rule winning, comments ignored. Enough for book.css, which nests no rules.
std::map<std::string, std::string> declarations_for(std::string css, const std::string& selector) {
  for (std::size_t open = css.find("/*"); open != std::string::npos; open = css.find("/*", open))
    css.erase(open, css.find("*/", open) + 2 - open);
  std::map<std::string, std::string> declared;
  for (std::size_t start = 0, open; (open = css.find('{', start)) != std::string::npos;) {
    const std::size_t close = css.find('}', open);
    std::istringstream selectors(css.substr(start, open - start)), body(css.substr(open + 1, close - open - 1));
    start = close + 1;
    bool matches = false;
    for (std::string one; std::getline(selectors, one, ',');) matches = matches || trim(one) == selector;
    for (std::string declaration; matches && std::getline(body, declaration, ';');)
      if (const std::size_t colon = declaration.find(':'); colon != std::string::npos)
        declared[trim(declaration.substr(0, colon))] = trim(declaration.substr(colon + 1));
  }
  return declared;
}

// A CSS colour (#rgb, #rrggbb or white) close to white: a ground dark lines stand out on.
bool is_light(const std::string& colour) {
  if (colour == "white") return true;
  std::string hex = colour.substr(colour.starts_with('#') ? 1 : 0);
  if (hex.size() == 3) hex = {hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]};
  if (hex.size() != 6 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return false;
  const auto channel = [&](int i) { return std::stoi(hex.substr(2 * i, 2), nullptr, 16); };
  return 0.299 * channel(0) + 0.587 * channel(1) + 0.114 * channel(2) > 0.85 * 255;
}

}  // namespace

TEST_CASE("cover, typeset for the phone: a 1600x2560 JPEG, first in the reading order, declared twice") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(800, 600));
  const Built book = build_markdown(dir, k_article);
  const auto entries = read_epub(book.epub);
  const auto cover = probe_image(entry(entries, "EPUB/images/cover.jpg"));
  REQUIRE(cover);
  CHECK(cover->media_type == "image/jpeg");
  CHECK(cover->width == 1600);
  CHECK(cover->height == 2560);
  const std::string opf = entry(entries, "EPUB/content.opf");
  CHECK(opf.find(R"(href="images/cover.jpg" media-type="image/jpeg" properties="cover-image")") != std::string::npos);
  CHECK(opf.find(R"(<meta name="cover" content="cover-image"/>)") != std::string::npos);
  // The cover page comes first, then the title page, then the text.
  const std::size_t cover_page = opf.find(R"(<itemref idref="ch1"/>)");
  CHECK(opf.find(R"(href="text/cover.xhtml")") != std::string::npos);
  CHECK(cover_page < opf.find(R"(<itemref idref="ch2"/>)"));
  CHECK(entry(entries, "EPUB/nav.xhtml").find(R"(<a epub:type="cover" href="text/cover.xhtml">封面</a>)") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("a cover of the user's (--cover FILE): the picture fitted to the profile's cover size") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(800, 600));
  BuildOptions options;
  options.cover = dir.write("mine.jpg", colour_photo(2000, 3000));
  const Built book = build_markdown(dir, k_article, options);
  const auto cover = probe_image(entry(read_epub(book.epub), "EPUB/images/cover.jpg"));
  REQUIRE(cover);
  CHECK(cover->width == 1600);  // 2000x3000 scaled by 0.8 to fit 1600x2560
  CHECK(cover->height == 2400);
  check_epubcheck_clean(book.epub);

  options.cover = dir.write("broken.jpg", "not a picture");
  Diagnostics diags;
  options.inputs = {dir.path() / "article.md"};
  options.output = dir.path() / "broken.epub";
  const auto refused = build_book(options, diags);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("--cover") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "broken.epub"));
}

TEST_CASE("the kindle profile: pictures within 1236x1648 and grey, the cover the screen's size and grey") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(3000, 2000));
  BuildOptions options;
  options.images.policy.profile = *find_profile("kindle");
  const Built book = build_markdown(dir, k_article, options);
  const auto entries = read_epub(book.epub);
  REQUIRE(book.doc.media.size() == 1);
  const auto photo = decode_image(book.doc.media[0].bytes);
  REQUIRE(photo);
  CHECK(photo->width == 1236);
  CHECK(photo->height == 824);
  CHECK(photo->channels == 1);  // a grey JPEG: one channel, a third of the colour data
  const auto cover = decode_image(entry(entries, "EPUB/images/cover.jpg"));
  REQUIRE(cover);
  CHECK(cover->width == 1236);
  CHECK(cover->height == 1648);
  CHECK(cover->channels == 1);

  BuildOptions phone;
  const Built coloured = build_markdown(dir, k_article, phone);
  CHECK(decode_image(coloured.doc.media[0].bytes)->channels == 3);
  CHECK(find_profile("nook") == nullptr);
}

TEST_CASE("the embedded font holds every character MuPDF draws and --font none leaves it out") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(800, 600));
  const Built book = build_markdown(dir, k_article);
  const auto entries = read_epub(book.epub);
  const std::string font = entry(entries, "EPUB/fonts/text.ttf");
  CHECK(font.size() > 1000);
  CHECK(font.size() < 200'000);  // a few dozen glyphs, not the 15 MB font
  // The bold face holds only what is set in bold: the headings here.
  const std::string bold = entry(entries, "EPUB/fonts/text-bold.ttf");
  CHECK(bold.size() < font.size());
  CHECK(characters_missing_from_font(book.epub) == "");
  const std::string css = entry(entries, "EPUB/styles/book.css");
  CHECK(css.find(R"(@font-face { font-family: "LXGW WenKai"; font-style: normal; font-weight: normal; src: url("../fonts/text.ttf"); })") != std::string::npos);
  CHECK(css.find(R"(@font-face { font-family: "LXGW WenKai"; font-style: normal; font-weight: bold; src: url("../fonts/text-bold.ttf"); })") != std::string::npos);
  CHECK(entry(entries, "EPUB/content.opf").find(R"(href="fonts/text.ttf" media-type="font/ttf")") != std::string::npos);
  // The font is what MuPDF draws the Chinese text with.
  std::string stext;
  REQUIRE(run("mutool draw -q -F stext -o - '" + book.epub.string() + "' 4", stext) == 0);
  CHECK(stext.find(R"(<font name="LXGW WenKai Regular")") != std::string::npos);
  CHECK(stext.find(R"(<font name="LXGW WenKai Bold")") != std::string::npos);  // the heading
  check_epubcheck_clean(book.epub);

  BuildOptions none;
  none.font = "none";
  none.output = dir.path() / "plain.epub";
  const Built plain = build_markdown(dir, k_article, none);
  const auto plain_entries = read_epub(plain.epub);
  for (const EpubEntry& e : plain_entries) CHECK_FALSE(e.name.starts_with("EPUB/fonts/"));
  CHECK(entry(plain_entries, "EPUB/styles/book.css").find("@font-face {") == std::string::npos);
  CHECK(entry(plain_entries, "EPUB/content.opf").find("font/") == std::string::npos);
  CHECK(probe_image(entry(plain_entries, "EPUB/images/cover.jpg")));  // the cover is still lettered
  check_epubcheck_clean(plain.epub);
}

TEST_CASE("a font file (--font FILE) is embedded and an unknown name is an error that lists the choices") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(800, 600));
  BuildOptions options;
  options.font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
  const Built book = build_markdown(dir, "# Notes\n\nPlain English text, with (brackets) & marks.\n", options);
  const auto entries = read_epub(book.epub);
  CHECK(entry(entries, "EPUB/styles/book.css").find(R"(font-family: "DejaVu Serif")") != std::string::npos);
  // DejaVuSerif-Bold.ttf, beside the file, is the bold face: the heading is drawn from it.
  CHECK(entry(entries, "EPUB/styles/book.css").find(R"(font-weight: bold; src: url("../fonts/text-bold.ttf"))") != std::string::npos);
  CHECK(characters_missing_from_font(book.epub) == "");
  check_epubcheck_clean(book.epub);
  const auto font_warnings = [](const Built& built) {
    std::string found;
    for (const Warning& w : built.warnings)
      if (w.where == "font") found += w.message;
    return found;
  };
  CHECK(font_warnings(book) == "");

  // A Latin font for a Chinese book: the user is told, not left to wonder at the reader's fallback.
  options.output = dir.path() / "chinese.epub";
  const Built chinese = build_markdown(dir, "# 茶\n\n春天的茶，夏天的雨，秋天的山。\n", options);
  CHECK_THAT(font_warnings(chinese), Catch::Contains("DejaVu Serif lacks") && Catch::Contains("--font wenkai"));

  options.font = "comic-sans";
  options.inputs = {dir.path() / "article.md"};
  Diagnostics diags;
  const auto refused = build_book(options, diags);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("wenkai, wenkai-light, noto-serif, noto-sans") != std::string::npos);
}

TEST_CASE("a stylesheet of the user's (--css) comes after the book's, so its rules win") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(800, 600));
  BuildOptions options;
  options.css = dir.write("mine.css", "p { text-indent: 0; }\n");
  const Built book = build_markdown(dir, k_article, options);
  const std::string css = entry(read_epub(book.epub), "EPUB/styles/book.css");
  const std::size_t base = css.find(":lang(zh) p, :lang(ja) p, .cjk p { text-indent: 2em; }");
  const std::size_t mine = css.find("p { text-indent: 0; }");
  REQUIRE(base != std::string::npos);
  REQUIRE(mine != std::string::npos);
  CHECK(base < mine);
  CHECK(css.find("@font-face") < mine);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("accessibility: schema.org metadata says whether pictures are described") {
  TempDir dir;
  dir.write("photo.jpg", colour_photo(800, 600));
  const Built described = build_markdown(dir, k_article);
  const std::string opf = entry(read_epub(described.epub), "EPUB/content.opf");
  for (const char* line : {R"(<meta property="schema:accessMode">textual</meta>)",
                           R"(<meta property="schema:accessMode">visual</meta>)",
                           R"(<meta property="schema:accessModeSufficient">textual</meta>)",
                           R"(<meta property="schema:accessibilityFeature">alternativeText</meta>)",
                           R"(<meta property="schema:accessibilityFeature">tableOfContents</meta>)",
                           R"(<meta property="schema:accessibilityHazard">none</meta>)",
                           "每张图片都有取自原文或图注的文字说明"})
    CHECK(opf.find(line) != std::string::npos);

  BuildOptions other;
  other.output = dir.path() / "undescribed.epub";
  const Built undescribed = build_markdown(dir, "# 无题\n\n一段文字。\n\n![](photo.jpg)\n", other);
  const auto entries = read_epub(undescribed.epub);
  const std::string bare = entry(entries, "EPUB/content.opf");
  CHECK(bare.find("alternativeText") == std::string::npos);
  CHECK(bare.find(R"(<meta property="schema:accessModeSufficient">textual</meta>)") == std::string::npos);
  CHECK(bare.find("原文的部分图片没有文字说明") != std::string::npos);
  // A screen reader hears that a picture is there rather than nothing.
  CHECK(entry(entries, "EPUB/text/ch001.xhtml").find(R"(alt="图片")") != std::string::npos);
  CHECK(entry(entries, "EPUB/text/ch001.xhtml").find(R"(role="doc-chapter")") != std::string::npos);
  check_epubcheck_clean(undescribed.epub);
}

TEST_CASE("a see-through PNG gets a light ground, so night themes do not swallow its lines") {
  TempDir dir;
  Pixels p = Pixels::allocate(200, 100, 4);
  for (std::size_t i = 0; i < p.size(); ++i) p.data[i] = i % 4 == 3 ? (i / 4 % 200 < 100 ? 0 : 255) : 0;
  dir.write("line.png", encode_png(p));
  const Built book = build_markdown(dir, "# 图\n\n![曲线](line.png)\n");
  const auto entries = read_epub(book.epub);
  CHECK(entry(entries, "EPUB/text/ch001.xhtml").find(R"(class="transparent")") != std::string::npos);
  const auto rules = declarations_for(entry(entries, "EPUB/styles/book.css"), "img.transparent");
  const auto ground = rules.find("background-color");
  REQUIRE(ground != rules.end());
  CHECK(is_light(ground->second));
}

namespace {

// A book that breaks every rule of the preflight, one fault each.
std::string bad_book() {
  const std::string container =
      R"(<?xml version="1.0" encoding="UTF-8"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>)";
  const std::string opf = R"(<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">x</dc:identifier><dc:title>Bad</dc:title><dc:language>tlh</dc:language></metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="a" href="text/a.xhtml" media-type="application/xhtml+xml"/><item id="b" href="text/b.xhtml" media-type="application/xhtml+xml"/>
<item id="p" href="images/p.png" media-type="image/png"/><item id="big" href="images/big.png" media-type="image/png"/></manifest>
<spine toc="ncx"><itemref idref="a"/><itemref idref="b"/></spine></package>)";
  const std::string nav = R"(<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head><body><nav epub:type="toc"><ol><li><a href="text/a.xhtml">A</a></li><li><a href="text/b.xhtml">B</a></li></ol></nav></body></html>)";
  const std::string ncx = R"(<?xml version="1.0" encoding="UTF-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
<navPoint id="n1" playOrder="1"><navLabel><text>B</text></navLabel><content src="text/b.xhtml"/></navPoint>
<navPoint id="n2" playOrder="2"><navLabel><text>A</text></navLabel><content src="text/a.xhtml"/></navPoint></navMap></ncx>)";
  const std::string a = R"(<html xmlns="http://www.w3.org/1999/xhtml"><head><title>a</title></head><body>
<img alt="no source"/><img src="../images/gone.png" alt="gone"/><img src="../images/p.png"/><img src="../images/p.png" alt=""/></body></html>)";
  const std::string b = R"(<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>b</title></head><body><p>)" +
                        std::string(300'000, 'x') + "</p></body></html>";
  std::string noise(51'000'000, '\0');
  unsigned seed = 1;
  for (char& c : noise) c = static_cast<char>((seed = seed * 1103515245 + 12345) >> 24);
  auto zipped = zip_entries({{"mimetype", "application/epub+zip", false},
                             {"META-INF/container.xml", container},
                             {"EPUB/content.opf", opf},
                             {"EPUB/nav.xhtml", nav},
                             {"EPUB/toc.ncx", ncx},
                             {"EPUB/text/a.xhtml", a},
                             {"EPUB/text/b.xhtml", b},
                             {"EPUB/images/p.png", noise.substr(0, 6'000'000), false},
                             {"EPUB/images/big.png", noise, false}},
                            0);
  REQUIRE(zipped);
  return *zipped;
}

}  // namespace

TEST_CASE("inkpack check: a purpose-made bad book breaks each rule, named in the report, and built books pass") {
  TempDir dir;
  const std::filesystem::path bad = dir.write("bad.epub", bad_book());
  const auto report = preflight(read_text(bad));
  REQUIRE(report);
  CHECK_FALSE(report->passed());
  std::map<std::string, std::vector<std::string>> problems;
  for (const PreflightRule& rule : report->rules) problems[rule.id] = rule.problems;
  INFO(report->format(true));
  CHECK(problems.size() == 11);
  for (const auto& [id, found] : problems) {
    INFO("rule " << id);
    CHECK(found.empty() == (id == "well-formed"));  // every part of it parses
  }
  CHECK(problems["modified"] == std::vector<std::string>{"EPUB/content.opf: no dcterms:modified, which EPUB 3 requires"});
  CHECK(problems["xml"] == std::vector<std::string>{"EPUB/text/a.xhtml: no XML declaration"});
  CHECK(problems["language"].at(0).find(R"("tlh")") != std::string::npos);
  CHECK(problems["img-src"].size() == 2);  // no src; a file not in the book
  CHECK(problems["img-alt"].size() == 2);  // no alt; an empty alt not marked decorative
  CHECK(problems["toc-order"] == std::vector<std::string>{"EPUB/toc.ncx: EPUB/text/a.xhtml comes before the entry above it in the spine"});
  CHECK(problems["content-size"].at(0).starts_with("EPUB/text/b.xhtml"));
  CHECK(problems["image-size"].size() == 2);
  CHECK(problems["cover"].size() == 2);

  // Found by fuzz_check: a nav item with no href made a std::string from a null pointer.
  const auto fuzzed = preflight(read_text(source_dir() / "tests/fixtures/fuzz/check-nav-item-without-href.epub"));
  CHECK(fuzzed);

  // The command line: a readable report and exit code 4.
  std::string out;
  CHECK(run(std::string(INKPACK_BINARY) + " check '" + bad.string() + "'", out) == 4);
  CHECK(out.find("FAIL  img-alt") != std::string::npos);
  CHECK(out.find("failed: 10 of 11 rules") != std::string::npos);
  CHECK(run(std::string(INKPACK_BINARY) + " check '" + dir.write("not.epub", "hello").string() + "'", out) == 1);
  CHECK(out.find("not an EPUB") != std::string::npos);

  dir.write("photo.jpg", colour_photo(800, 600));
  const Built good = build_markdown(dir, k_article);
  CHECK(run(std::string(INKPACK_BINARY) + " check '" + good.epub.string() + "'", out) == 0);
  CHECK(out.find("passed: all 11 rules hold") != std::string::npos);
  CHECK(good.warnings.empty());  // the check after the build found nothing
}

TEST_CASE("order: MuPDF shows the cover, the title page, then the contents, then the text") {
  TempDir dir;
  const Built book = build_markdown(dir, "# 山居笔记\n\n作者：某人\n\n## 清晨\n\n雾气从山谷里升起。\n\n## 午后\n\n采茶的人歇在树下。\n");
  const std::string opf = entry(read_epub(book.epub), "EPUB/content.opf");
  const std::size_t cover = opf.find(R"(<itemref idref="ch1"/>)"), title = opf.find(R"(<itemref idref="ch2"/>)");
  const std::size_t nav = opf.find(R"(<itemref idref="nav" linear="no"/>)"), text = opf.find(R"(<itemref idref="ch3"/>)");
  REQUIRE(nav != std::string::npos);
  CHECK((cover < title && title < nav && nav < text));
  // The page after the cover is the title page (its heading, the book's title), then 目录.
  const std::string pages = mutool_text(book.epub);
  const std::size_t title_page = pages.find("山居笔记"), contents = pages.find("目录"), first = pages.find("雾气");
  REQUIRE(contents != std::string::npos);
  CHECK((title_page < contents && contents < first));
  check_epubcheck_clean(book.epub);
}

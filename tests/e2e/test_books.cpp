// Whole books as a reader gets them: EPUBCheck's verdict and the text MuPDF extracts.
#include <catch2/catch.hpp>

#include <regex>

#include "support/helpers.hpp"
#include "util/text.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

// Positions of `needles` in `haystack`; each must follow the one before.
void require_in_order(const std::string& haystack, const std::vector<std::string>& needles) {
  std::size_t at = 0;
  for (const std::string& needle : needles) {
    INFO("looking for \"" << needle << "\" after offset " << at);
    const std::size_t found = haystack.find(needle, at);
    REQUIRE(found != std::string::npos);
    at = found + needle.size();
  }
}

}  // namespace

TEST_CASE("build_book, the built-in sample article (--sample), and none without it") {
  TempDir dir;
  BuildOptions options;
  options.output = dir.path() / "sample.epub";
  options.timestamp = 1700000000;
  Diagnostics diags;
  CHECK_FALSE(build_book(options, diags));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "sample.epub"));
  options.sample = true;
  const auto result = build_book(options, diags);
  REQUIRE(result);
  CHECK(diags.warnings().empty());
  const auto entries = read_epub(result->output);
  const std::vector<std::string> toc{"引言", "春芽", "杀青", "揉捻", "冲泡"};
  CHECK(nav_titles(entries) == toc);
  CHECK(ncx_titles(entries) == toc);
  CHECK(result->doc.media.size() == 2);
  check_epubcheck_clean(result->output);
  // MuPDF laid <figure> inside <section> out of order: the opening's photo, which follows its
  // paragraph, was drawn above the heading. Pages 1 to 3 are the table of contents, the cover
  // and the title page.
  std::string stext;
  REQUIRE(run("mutool draw -q -F stext -o - '" + result->output.string() + "' 4", stext) == 0);
  std::smatch first_block;
  REQUIRE(std::regex_search(stext, first_block, std::regex(R"(<block bbox="[\d.]+ ([\d.]+))")));
  CHECK(std::stod(first_block[1]) < 100);  // the heading starts the page, no image above it

  require_in_order(mutool_text(result->output),
                   {"引言", "每年清明前后", "春芽", "明前茶", "杀青", "揉捻", "冲泡", "慢慢喝完"});
}

TEST_CASE("reference article: outline, EPUBCheck, reading engine, determinism", "[.seed]") {
  TempDir dir;
  BuildOptions options;
  options.inputs = {seed_article()};
  options.output = dir.path() / "seed.epub";
  options.timestamp = 1700000000;
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE(result);
  CHECK(result->doc.meta.title == "2024，7大机会");
  CHECK(result->doc.meta.language == "zh-CN");
  const Metadata& meta = result->doc.meta;
  CHECK(meta.authors == std::vector<std::string>{"尤安"});
  CHECK(meta.contributors == std::vector<Contributor>{{"刘润主创团", "ctb", "观点"}, {"二蔓", "edt", "编辑"}, {"黄静", "dsr", "版面"}});
  CHECK(meta.publisher == "刘润");
  CHECK(meta.source.starts_with("https://mp.weixin.qq.com/s?__biz=MjM5NjM5MjQ4MQ==&mid=2651728748&"));

  const auto entries = read_epub(result->output);
  const std::vector<std::string> toc{"引言", "空间计算", "具身智能", "AI助手", "基因编辑",
                                     "自动驾驶", "小模型", "AI短剧", "结语"};
  CHECK(nav_titles(entries) == toc);
  CHECK(ncx_titles(entries) == toc);
  // Each section its own file, in order.
  for (std::size_t i = 1; i + 1 < toc.size(); ++i) {
    const std::string file = "EPUB/text/ch00" + std::to_string(i + 1) + ".xhtml";
    CHECK(entry(entries, file).find("<h1 id=\"sec-" + std::to_string(i + 1) + "\">" + toc[i] + "</h1>") != std::string::npos);
  }
  CHECK(xml_problems(entries).empty());

  std::string all_text;  // the chapters; the title page names the people on purpose
  for (const EpubEntry& e : entries)
    if (e.name.starts_with("EPUB/text/ch")) all_text += e.bytes;
  const std::string title_page = entry(entries, "EPUB/text/title.xhtml");
  for (const char* line : {"<h1>2024，7大机会</h1>", ">尤安<", ">编辑 / 二蔓<", ">版面 / 黄静<", ">刘润<"})
    CHECK(title_page.find(line) != std::string::npos);
  CHECK(all_text.find("**") == std::string::npos);
  CHECK(all_text.find("/gzh/") == std::string::npos);
  CHECK(all_text.find("&amp;from;=") == std::string::npos);
  // The account's end matter (reading list, label line, QR code) and the backup site's chrome are out.
  for (const char* extra : {"返回列表页", "小懒自动备份", "推荐阅读", "品牌推广", "后台回复", "第2158篇", "编辑 / 二蔓"})
    CHECK(all_text.find(extra) == std::string::npos);
  CHECK(all_text.find("个人观点，仅供参考") != std::string::npos);  // the author's own last line stays
  CHECK(all_text.find("<strong>参数。</strong>") != std::string::npos);  // no space before 。
  // Issue 15: the export's glued paragraphs apart (one source line of 329 characters is the
  // only paragraph over 300), the first sentence-ending line a paragraph of its own, captions
  // under their pictures, and no ASCII space beside CJK punctuation.
  int long_paragraphs = 0, stray_spaces = 0;
  const std::regex paragraph("<p>(.*?)</p>");
  for (auto it = std::sregex_iterator(all_text.begin(), all_text.end(), paragraph); it != std::sregex_iterator(); ++it) {
    const std::string text = std::regex_replace((*it)[1].str(), std::regex("<[^>]+>"), "");
    long_paragraphs += count_code_points(text) > 300;
    for (const char* mark : {"，", "。", "：", "；", "？", "！", "、", "（", "）", "《", "》"})
      for (const std::string& spaced : {std::string(" ") + mark, mark + std::string(" ")})
        for (std::size_t at = text.find(spaced); at != std::string::npos; at = text.find(spaced, at + 1)) ++stray_spaces;
  }
  CHECK(long_paragraphs <= 1);
  CHECK(stray_spaces == 0);
  CHECK(all_text.find("哪里还有我的机会？</strong></p>") != std::string::npos);
  CHECK(all_text.find(R"(<p class="caption">Pika 官方展示</p>)") != std::string::npos);
  CHECK(all_text.find("苹果的Vision Pro在美国") != std::string::npos);
  CHECK(all_text.find("让很多人兴奋到睡不着觉。1月19日") != std::string::npos);

  check_epubcheck_clean(result->output);
  // The embedded font, both faces: every character MuPDF draws is in it, and it stays under 1 MB.
  const std::size_t font = entry(entries, "EPUB/fonts/text.ttf").size() + entry(entries, "EPUB/fonts/text-bold.ttf").size();
  CHECK(font > 100'000);
  CHECK(font < 1'000'000);
  CHECK(characters_missing_from_font(result->output) == "");
  // The store preflight run after the build found nothing (its warnings say "check <rule>").
  for (const Warning& w : diags.warnings()) CHECK_FALSE(w.where.starts_with("check "));

  require_in_order(mutool_text(result->output),
                   {"引言", "新年刚开头", "空间计算", "上周末", "具身智能", "提问", "AI助手",
                    "比尔·盖茨", "基因编辑", "全球第一款基因编辑药物", "自动驾驶", "比亚迪",
                    "小模型", "傅盛", "AI短剧", "短剧爆火", "结语", "祝你"});

  BuildOptions again = options;
  again.output = dir.path() / "again.epub";
  Diagnostics quiet;
  REQUIRE(build_book(again, quiet));
  CHECK(read_text(*again.output) == read_text(*options.output));
}

TEST_CASE("build_book, several articles: each chapter keeps its own language, detected in any of five scripts") {
  TempDir dir;
  BuildOptions options;
  options.inputs = {dir.write("zh.md", "# 茶\n\n春天的茶，夏天的雨，秋天的山，都在这一杯里。\n"),
                    dir.write("en.md", "# Tea\n\nSpring tea, summer rain and autumn hills are all in this cup.\n"),
                    dir.write("ru.md", "# Чай\n\nВесенний чай, летний дождь и осенние горы в этой чашке.\n"),
                    dir.write("ja.md", "# お茶\n\n春のお茶と夏の雨と秋の山が、このカップに入っています。\n"),
                    dir.write("ko.md", "# 차\n\n봄의 차와 여름의 비와 가을의 산이 이 잔에 담겨 있습니다.\n")};
  options.output = dir.path() / "book.epub";
  options.timestamp = 1700000000;
  options.font = "none";
  Diagnostics diags;
  const auto result = build_book(options, diags);
  REQUIRE(result);
  CHECK(result->doc.meta.language == "zh-CN");  // the book's: its first article's
  const auto entries = read_epub(result->output);
  const std::vector<std::pair<std::string, std::string>> chapters{
      {"EPUB/text/ch001.xhtml", "zh-CN"}, {"EPUB/text/ch002.xhtml", "en"}, {"EPUB/text/ch003.xhtml", "ru"},
      {"EPUB/text/ch004.xhtml", "ja"},    {"EPUB/text/ch005.xhtml", "ko"}};
  for (const auto& [name, language] : chapters) {
    INFO(name);
    const std::string xhtml = entry(entries, name);
    CHECK(xhtml.find("lang=\"" + language + "\" xml:lang=\"" + language + "\"") != std::string::npos);
    // The CJK first-line indent and justification hang on this class (MuPDF knows no :lang()).
    const bool cjk = language == "zh-CN" || language == "ja";
    CHECK((xhtml.find("<body class=\"cjk\"") != std::string::npos) == cjk);
  }

  // One article: its chapters carry the book's language, which --lang overrides.
  options.inputs = {dir.path() / "en.md"};
  options.language = "en-GB";
  const auto one = build_book(options, diags);
  REQUIRE(one);
  CHECK(entry(read_epub(one->output), "EPUB/text/ch001.xhtml").find("lang=\"en-GB\"") != std::string::npos);
}

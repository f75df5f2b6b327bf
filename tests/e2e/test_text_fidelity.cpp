// Issue 15, text as the author wrote it: each case builds a small invented article of the shape
// real ones have and looks at the book as a reader meets it (the XHTML, MuPDF's text, EPUBCheck).
#include <catch2/catch.hpp>

#include <regex>

#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

std::string chapter(const Built& book, const std::string& file = "EPUB/text/ch001.xhtml") {
  return entry(read_epub(book.epub), file);
}

std::vector<std::string> paragraphs(const std::string& xhtml) {
  std::vector<std::string> out;
  const std::regex p("<p>(.*?)</p>");
  for (auto it = std::sregex_iterator(xhtml.begin(), xhtml.end(), p); it != std::sregex_iterator(); ++it)
    out.push_back(std::regex_replace((*it)[1].str(), std::regex("<[^>]+>"), ""));
  return out;
}

// MuPDF's text with its line wraps undone: what a reader reads, whatever the page width.
std::string read_by_mupdf(const Built& book) {
  std::string text = mutool_text(book.epub);
  std::erase(text, '\n');
  return text;
}

// A WeChat backup export: the blank lines between paragraphs dropped, long lines, a bold
// sentence mid-line, breaks in mid-sentence (between English words, before a bold word).
const char* const k_glued_export =
    "# 城市夜行指南\n\n"
    "很多人问过我同一个问题： **晚上出门散步，真的安全吗？城市的夜晚到底有什么值得看的？**\n"
    "先说结论：只要选对路线，夜晚的城市比白天更安静，也更有意思。去年秋天我走遍了城里的十二条河道，记下了每一段路的灯光和人流。哪条路适合一个人走，哪条路适合带着孩子，哪条路到了十点以后就没什么人，我都一一写在了本子上。\n"
    "那段时间我每天晚上七点出门，十点回家，随身带着一台旧的Walk\n"
    "Man，一边走一边听广播。街角的小店大多营业到十一点，店主们会在门口摆上几张小桌子，路过的人随时可以坐下来歇一歇。\n"
    "**最重要的是，别把夜行当成任务。** 走累了就回家，明天还可以再来，河道不会跑掉，路灯也会一直亮着。\n"
    "走到桥上的时候，如果正好赶上月亮升起来，你会看到平静的河面上倒映着两岸的\n"
    "**灯光**\n"
    "，一阵风吹过，整条河都在闪。那一刻你会明白，为什么有人愿意在深夜出门走上一个小时。\n";

struct BuiltPage {
  Built book;
  std::string warnings;  // every warning's message, one a line
};

// A saved page, built offline like `inkpack page.html`.
BuiltPage build_page(const TempDir& dir, const std::string& html) {
  BuiltPage page{build_saved_page(dir, html), {}};
  for (const Warning& w : page.book.warnings) page.warnings += w.message + "\n";
  return page;
}

}  // namespace

TEST_CASE("walls of text: in a WeChat export a line break after a sentence ends the paragraph") {
  TempDir dir;
  const Built book = build_markdown(dir, k_glued_export);
  const std::vector<std::string> p = paragraphs(chapter(book));
  REQUIRE(p.size() == 6);
  CHECK(p[0] == "很多人问过我同一个问题：晚上出门散步，真的安全吗？城市的夜晚到底有什么值得看的？");
  CHECK(p[1].starts_with("先说结论："));
  // A break between English words is a space; the sentence goes on in the same paragraph.
  CHECK(p[2].starts_with("那段时间我每天晚上七点出门，十点回家，随身带着一台旧的Walk Man，一边走"));
  // A bold sentence followed by more text is a paragraph of its own.
  CHECK(p[3] == "最重要的是，别把夜行当成任务。");
  CHECK(p[4].starts_with("走累了就回家"));
  // A break before and after a bold word in mid-sentence joins the lines, with no space.
  CHECK(p[5].find("河面上倒映着两岸的灯光，一阵风吹过") != std::string::npos);
  const std::string text = read_by_mupdf(book);
  CHECK(text.find("两岸的灯光，一阵风吹过") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("walls of text: Chinese wrapped by hand at short lines stays one paragraph") {
  TempDir dir;
  const Built book = build_markdown(dir,
                                    "# 修书\n\n"
                                    "家里的书架上总有几本翻散了的旧书：书脊开裂，\n"
                                    "书页一碰就掉。送去修太贵，扔掉又舍不得。\n"
                                    "其实大部分小毛病，在家用一个下午就能修好，\n"
                                    "只要一把骨刀、一罐浆糊和一点耐心。\n"
                                    "先把脱落的那页对齐，在内侧边缘刷一条浆糊。\n"
                                    "再轻轻插回原位，合上书，用骨刀压一遍书缝。\n");
  const std::vector<std::string> p = paragraphs(chapter(book));
  REQUIRE(p.size() == 1);
  CHECK(p[0].find("舍不得。其实大部分") != std::string::npos);
}

TEST_CASE("stray spaces: none beside CJK punctuation, those between Latin words stay") {
  TempDir dir;
  const Built book = build_markdown(dir,
                                    "# 短剧\n\n"
                                    "大家都在问： **去年怎么样？** 比如AI短剧。 这都是些什么？我们用 Apple Vision Pro 看，\n"
                                    "iPhone 也行。模型叫 PaLM 2 ，参数 （一千亿）。他说：“好。” 然后走了。\n"
                                    "English stays “as it is” here, and `x ；y` in code too.\n");
  const std::string xhtml = chapter(book);
  for (const char* kept : {"Apple Vision Pro 看", "“as it is” here", "<code>x ；y</code>"})
    CHECK(xhtml.find(kept) != std::string::npos);
  const std::string text = read_by_mupdf(book);
  for (const char* joined : {"问：去年", "短剧。这都是", "看，iPhone", "PaLM 2，参数（一千亿）", "“好。”然后"})
    CHECK(text.find(joined) != std::string::npos);
  for (const char* stray : {"： ", "。 ", " ，", "， ", " （", "” 然"}) CHECK(text.find(stray) == std::string::npos);
}

TEST_CASE("text lost: a stray <a/> around a saved page's text does not make it read as links") {
  TempDir dir;
  const BuiltPage page = build_page(dir,
      "<!DOCTYPE html><html><head><title>使用说明</title></head><body><div id=\"js_content\">"
      "<p><a/>1.第一次打开 <a href=\"./app.apk\"><b>下载</b><a/></p><p><img src=\"./page_files/1.jpg\"></p>"
      "<p>2.点击“开启”按钮，找到“提醒服务”。</p><p>3.输入要提醒的文字，点击“添加”。</p>"
      "<p>现在，收到包含这些文字的消息时，手机会响起铃声。</p></div></body></html>");
  const std::string text = read_by_mupdf(page.book);
  for (const char* line : {"第一次打开", "找到“提醒服务”。", "手机会响起铃声。"}) CHECK(text.find(line) != std::string::npos);
  CHECK(page.warnings.find("looked like page chrome") == std::string::npos);
}

TEST_CASE("text lost: an article that looks like chrome from top to bottom is kept whole, with a warning") {
  TempDir dir;
  const Built book = build_markdown(dir, "[第一篇：春天的茶](https://example.com/1)\n\n"
                                         "[第二篇：夏天的茶](https://example.com/2)\n\n[第三篇：秋天的茶](https://example.com/3)\n");
  const std::string text = read_by_mupdf(book);
  for (const char* line : {"第一篇：春天的茶", "第三篇：秋天的茶"}) CHECK(text.find(line) != std::string::npos);
  std::string warnings;
  for (const Warning& w : book.warnings) warnings += w.message + "\n";
  CHECK(warnings.find("everything in the article looked like page chrome") != std::string::npos);
}

TEST_CASE("text lost: a page with no text says so") {
  TempDir dir;
  const BuiltPage page = build_page(dir, "<!DOCTYPE html><html><head><title>空白</title></head>"
                                         "<body><div id=\"js_content\" style=\"visibility: hidden\"></div></body></html>");
  CHECK(page.warnings.find("no text found in the article") != std::string::npos);
}

TEST_CASE("captions: short lines under pictures are captions kept with them, and their alt text") {
  TempDir dir;
  dir.write("a.gif", animated_gif(64, 48, 1));
  dir.write("b.gif", animated_gif(64, 48, 1));
  dir.write("c.gif", animated_gif(64, 48, 1));
  dir.write("d.gif", animated_gif(64, 48, 1));
  const Built book = build_markdown(dir,
                                    "# 夜行\n\n"
                                    "河边的灯一盏接一盏亮起来，像这样。![](a.gif)NightWalk\n官方示意\n\n"
                                    "![](b.gif)\n\nNightWalk 官方示意\n\n或者这样。\n\n"
                                    "![](c.gif)\n\nNightWalk 官方示意 **走累了就回家。** 明天再来。\n\n"
                                    "![](d.gif)\n\n图2：十二条河道的位置。\n\n走到桥上，风就大了。\n");
  const std::string xhtml = chapter(book);
  const std::regex captioned(R"re(<div class="figure"><img src="../images/[^"]+" alt="NightWalk 官方示意"[^>]*/><p class="caption">NightWalk 官方示意</p></div>)re");
  const auto count = std::distance(std::sregex_iterator(xhtml.begin(), xhtml.end(), captioned), std::sregex_iterator());
  CHECK(count == 3);
  CHECK(xhtml.find(R"(<p class="caption">图2：十二条河道的位置。</p></div>)") != std::string::npos);
  // What follows a caption on its line, and a sentence under a picture, stay text.
  CHECK(xhtml.find("<p><strong>走累了就回家。</strong>明天再来。</p>") != std::string::npos);
  CHECK(xhtml.find("<p>走到桥上，风就大了。</p>") != std::string::npos);
  CHECK(xhtml.find("<p>或者这样。</p>") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("captions: a saved page's centred small grey line under a picture is its caption") {
  TempDir dir;
  dir.write("page_files/1.gif", animated_gif(64, 48, 1));
  const BuiltPage page = build_page(dir,
      "<!DOCTYPE html><html><head><title>河道</title></head><body><div id=\"js_content\">"
      "<p>夜里的河道很安静，适合一个人慢慢走。</p><p><img src=\"page_files/1.gif\"></p>"
      "<p style=\"text-align: center;\"><span style=\"font-size: 12px; color: rgb(136, 136, 136);\">"
      "图为城东的一段河道，摄于去年秋天的一个晚上。</span></p>"
      "<p>沿着河往东走，二十分钟就能到桥边。</p></div></body></html>");
  const std::string xhtml = chapter(page.book);
  CHECK(xhtml.find(R"(alt="图为城东的一段河道，摄于去年秋天的一个晚上。")") != std::string::npos);
  CHECK(xhtml.find(R"(<p class="caption">图为城东的一段河道，摄于去年秋天的一个晚上。</p></div>)") != std::string::npos);
  CHECK(xhtml.find("<p>沿着河往东走") != std::string::npos);
  check_epubcheck_clean(page.book.epub);
}

TEST_CASE("formulas: a WeChat formula picture keeps its picture, its TeX as alt text") {
  TempDir dir;
  dir.write("page_files/f.gif", animated_gif(40, 16, 1));
  const BuiltPage page = build_page(dir,
      "<!DOCTYPE html><html><head><title>公式</title></head><body><div id=\"js_content\">"
      "<p>能量与质量的关系是 <img class=\"formula\" data-formula=\"E = mc^2\" alt=\"图片\" src=\"page_files/f.gif\">，"
      "其中 c 是光速。</p></div></body></html>");
  const std::string xhtml = chapter(page.book);
  CHECK(std::regex_search(xhtml, std::regex(R"re(<img class="inline" src="../images/[^"]+" alt="E = mc\^2")re")));
  check_epubcheck_clean(page.book.epub);
}

TEST_CASE("audio and video: a saved page's voice, music and video players are placeholders with title, poster, link") {
  TempDir dir;
  dir.write("page_files/poster.gif", animated_gif(64, 36, 1));
  const BuiltPage page = build_page(dir,
      "<!DOCTYPE html><html><head><title>夜行</title></head><body><div id=\"js_content\">"
      "<p>先听一段河边录下的声音。</p>"
      "<p><mpvoice frameborder=\"0\" src=\"/cgi-bin/readtemplate?t=tmpl/audio_tmpl&amp;name=x\" name=\"河边的风声\" "
      "play_length=\"61000\"></mpvoice><span class=\"js_audio_frame db\"><strong>河边的风声</strong><em>00:00</em></span></p>"
      "<qqmusic music_name=\"夜曲\" singer=\"某歌手\" src=\"/cgi-bin/readtemplate?t=tmpl/qqmusic_tmpl\"></qqmusic>"
      "<span class=\"db qqmusic_area\"><span class=\"unsupport_tips\">当前浏览器不支持播放音乐或语音</span>夜曲某歌手</span>"
      "<p>再看两段视频。</p>"
      "<iframe class=\"video_iframe\" data-src=\"https://v.qq.com/iframe/preview.html?vid=x0000&amp;auto=0\" "
      "data-cover=\"http%3A%2F%2Fimg.example%2Fcover.jpg\"></iframe>"
      "<video src=\"https://video.example/river.mp4\" poster=\"page_files/poster.gif\" title=\"桥上的夜景\"></video>"
      "<p>走到桥边就回家。</p></div></body></html>");
  const std::string xhtml = chapter(page.book);
  CHECK(xhtml.find(R"(<p class="caption">▶ 音频：河边的风声</p>)") != std::string::npos);
  CHECK(xhtml.find(R"(<p class="caption">▶ 音乐：夜曲 — 某歌手</p>)") != std::string::npos);
  CHECK(xhtml.find(R"(▶ 视频：<a href="https://v.qq.com/iframe/preview.html?vid=x0000&amp;auto=0">)") != std::string::npos);
  CHECK(std::regex_search(xhtml, std::regex(R"re(<div class="figure player"><img src="../images/[^"]+" alt="桥上的夜景"[^>]*/><p class="caption">▶ 视频：<a href="https://video.example/river.mp4">桥上的夜景</a></p></div>)re")));
  // The player the page drew, and its apology, are not the article.
  for (const char* gone : {"00:00", "当前浏览器不支持", "夜曲某歌手"}) CHECK(xhtml.find(gone) == std::string::npos);
  CHECK(xhtml.find("<p>走到桥边就回家。</p>") != std::string::npos);
  check_epubcheck_clean(page.book.epub);
}

TEST_CASE("audio and video: shortcodes and raw players in Markdown are placeholders, not template code") {
  TempDir dir;
  const Built book = build_markdown(dir,
      "# Talks\n\nThe talk, as given last week.\n\n{{video \"https://video.example/embed/talk?rel=0\"}}\n\n"
      "A second one.\n\n{{< youtube abc123 >}}\n\n<iframe src=\"https://player.vimeo.com/video/42\" title=\"A short film\"></iframe>\n\n"
      "That is all.\n");
  const std::string xhtml = chapter(book);
  CHECK(xhtml.find("{{") == std::string::npos);
  CHECK(xhtml.find(R"(▶ Video: <a href="https://video.example/embed/talk?rel=0">)") != std::string::npos);
  CHECK(xhtml.find(R"(▶ Video: <a href="https://www.youtube.com/watch?v=abc123">)") != std::string::npos);
  CHECK(xhtml.find(R"(▶ Video: <a href="https://player.vimeo.com/video/42">A short film</a>)") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

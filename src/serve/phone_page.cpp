#include "serve/phone_page.hpp"

#include "image/codec.hpp"
#include "serve/routes.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

struct Words {
  const char* lang;  ///< of these words; each book's title and author carry the book's own
  const char* heading;
  const char* download;
  const char* cover_of;  ///< before the title, in the cover's alt text
  const char* catalog;
  const char* catalog_use;
  const char* footer;
};

constexpr Words k_english{"en", "Books to download", "Download", "Cover of ", "OPDS catalog",
                          " for reading apps (KOReader, Moon+ Reader, Librera, Thorium): add this address to them.",
                          "Served from a computer by inkpack; when it stops, these links stop too."};
constexpr Words k_chinese{"zh-Hans", "可下载的书", "下载", "封面：", "OPDS 书目",
                          "：在 KOReader、Moon+ Reader、Librera、Thorium 等阅读应用中添加这个地址。",
                          "由电脑上的 inkpack 提供；它停止后，这些链接也随之失效。"};

// Large type, a button a thumb can hit (44 px, Apple's and WCAG's target size), colours that
// keep 4.5:1 contrast in light and dark mode.
constexpr std::string_view k_style = R"(
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Noto Sans CJK SC",sans-serif;background:#fff;color:#1c1c1c}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.25rem 0 .75rem}
ul{list-style:none;margin:0;padding:0}
li{display:flex;gap:1rem;padding:1rem 0;border-top:1px solid #ccc}
img{flex:none;width:96px;height:auto;align-self:flex-start;border-radius:3px;box-shadow:0 1px 4px rgba(0,0,0,.35)}
.about{flex:1;min-width:0}
h2{font-size:1.1rem;line-height:1.35;margin:0;overflow-wrap:anywhere}
p{margin:.2rem 0;overflow-wrap:anywhere}
.meta{color:#555;font-size:.9rem}
.download{display:inline-block;box-sizing:border-box;min-height:44px;margin-top:.5rem;padding:.6rem 1.4rem;border-radius:.5rem;background:#0b57d0;color:#fff;font-weight:600;text-decoration:none}
.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:1rem;padding-top:.75rem;border-top:1px solid #ccc;font-size:.9rem;color:#555}
a{color:#0b57d0}
@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}li,footer{border-color:#444}
.meta,footer{color:#bbb}.download{background:#a8c7fa;color:#062e6f}a{color:#a8c7fa}}
)";

const Words& words_for(const std::string& language) {
  return language.starts_with("zh") ? k_chinese : k_english;
}

std::string lang_attribute(const BookInfo& info) {
  return info.language.empty() ? "" : " lang=\"" + escape_html(info.language) + "\"";
}

std::string cover_image(const ServedBook& book, std::string_view token, const std::string& title, const Words& w) {
  if (book.info->thumbnail.empty()) return "";
  std::string size;
  if (auto probed = probe_image(book.info->thumbnail))
    size = " width=\"" + std::to_string(probed->width) + "\" height=\"" + std::to_string(probed->height) + "\"";
  return "<img src=\"" + route_path(token, RouteKind::thumbnail, book.name) + "\" alt=\"" + escape_html(w.cover_of) +
         escape_html(title) + "\"" + size + lang_attribute(*book.info) + ">";
}

std::string book_item(const ServedBook& book, std::string_view token, const Words& w) {
  const BookInfo& info = *book.info;
  const std::string title = info.title.empty() ? book.name : info.title;
  std::string authors;
  for (const std::string& author : info.authors) authors += (authors.empty() ? "" : ", ") + author;
  const std::string href = route_path(token, RouteKind::book, book.name);
  std::string item = "<li>" + cover_image(book, token, title, w) + "<div class=\"about\"" + lang_attribute(info) + ">";
  item += "<h2>" + escape_html(title) + "</h2>";
  if (!authors.empty()) item += "<p>" + escape_html(authors) + "</p>";
  item += "<p class=\"meta\">EPUB · " + human_size(book.size) + "</p><p class=\"meta file\">" + escape_html(book.name) + "</p>";
  item += "<a class=\"download\" href=\"" + href + "\" download=\"" + escape_html(book.name) +
          "\" type=\"application/epub+zip\">" + w.download + "<span class=\"hidden\"> " + escape_html(title) + "</span></a>";
  return item + "</div></li>\n";
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string phone_page(const std::vector<ServedBook>& books, std::string_view token) {
  const Words& w = words_for(books.empty() ? "" : books.front().info->language);
  const std::string feed = route_path(token, RouteKind::feed);
  std::string page = "<!DOCTYPE html>\n<html lang=\"" + std::string(w.lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  page += "<title>" + std::string(w.heading) + " · inkpack</title>\n";
  page += "<link rel=\"alternate\" type=\"application/atom+xml;profile=opds-catalog;kind=acquisition\" title=\"" +
          std::string(w.catalog) + "\" href=\"" + feed + "\">\n";
  page += "<style>" + std::string(k_style) + "</style>\n</head>\n<body>\n<main>\n";
  page += "<h1>" + std::string(w.heading) + "</h1>\n<ul>\n";
  for (const ServedBook& book : books) page += book_item(book, token, w);
  page += "</ul>\n<footer>\n<p><a href=\"" + feed + "\">" + w.catalog + "</a>" + w.catalog_use + "</p>\n";
  page += "<p>" + std::string(w.footer) + "</p>\n</footer>\n</main>\n</body>\n</html>\n";
  return page;
}

}  // namespace inkpack

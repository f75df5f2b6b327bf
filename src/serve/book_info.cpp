#include "serve/book_info.hpp"

#include <algorithm>
#include <cmath>

#include "epub/package_reader.hpp"
#include "image/codec.hpp"
#include "limits.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

using tinyxml2::XMLElement;

constexpr int k_thumbnail_quality = 80;

std::string text_of(const XMLElement* e) { return e && e->GetText() ? trim(e->GetText()) : ""; }

std::string identifier_of(const Package& book) {
  const XMLElement* root = book.opf.RootElement();
  const char* unique = root ? root->Attribute("unique-identifier") : nullptr;
  const XMLElement* id = first_element(book.opf, "identifier", [&](const XMLElement* e) {
    return !unique || e->Attribute("id", unique);
  });
  return text_of(id ? id : first_element(book.opf, "identifier"));
}

// The manifest item EPUB 3 marks as the cover, else the one EPUB 2's <meta name="cover"> names.
std::string cover_id(const Package& book) {
  std::string id;
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    const char* properties = e->Attribute("properties");
    if (id.empty() && local_name(e) == "item" && e->Attribute("id") && properties &&
        std::string(properties).find("cover-image") != std::string::npos)
      id = e->Attribute("id");
  });
  if (!id.empty()) return id;
  const XMLElement* meta = first_element(book.opf, "meta", [](const XMLElement* e) {
    return e->Attribute("name", "cover") && e->Attribute("content");
  });
  return meta ? meta->Attribute("content") : "";
}

// Fitted into the thumbnail box, never enlarged; the cover itself when it cannot be decoded (the
// phone may still show it) or is small already.
void make_thumbnail(BookInfo& info) {
  info.thumbnail = info.cover;
  info.thumbnail_type = info.cover_type;
  auto decoded = decode_image(info.cover);
  if (!decoded) return;
  Pixels pixels = std::move(*decoded);
  const double scale = std::min({1.0, static_cast<double>(k_thumbnail_width) / pixels.width,
                                 static_cast<double>(k_thumbnail_height) / pixels.height});
  if (scale == 1.0) return;
  const int w = std::max(1, static_cast<int>(std::lround(pixels.width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(pixels.height * scale)));
  while (pixels.channels != 4 && pixels.width >= 2 * w && pixels.height >= 2 * h) pixels = halve(pixels);
  const Pixels small = resize_rows(pixels, w, h, 0, h);
  const bool alpha = small.channels == 4;
  info.thumbnail = alpha ? encode_png(small) : encode_jpeg(small, k_thumbnail_quality);
  info.thumbnail_type = alpha ? "image/png" : "image/jpeg";
}

void read_cover(std::string_view epub, const Package& book, BookInfo& info) {
  const std::string id = cover_id(book);
  if (id.empty() || !book.href_of.count(id)) return;
  auto bytes = read_zip_entry(epub, book.href_of.at(id), k_max_served_cover_bytes);
  if (!bytes) return;
  info.cover = std::move(*bytes);
  info.cover_type = book.type_of.at(id);
  make_thumbnail(info);
}

}  // namespace

Expected<BookInfo> read_book_info(std::string_view epub) {
  Package book;
  auto entries = read_zip_entries(epub);
  if (!entries) return std::unexpected(entries.error());
  book.entries = std::move(*entries);
  if (auto opened = open_package(book); !opened) return std::unexpected(opened.error());
  BookInfo info;
  info.title = text_of(first_element(book.opf, "title"));
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    if (local_name(e) == "creator" && !text_of(e).empty()) info.authors.push_back(text_of(e));
  });
  info.language = text_of(first_element(book.opf, "language"));
  info.description = text_of(first_element(book.opf, "description"));
  info.identifier = identifier_of(book);
  info.modified = text_of(first_element(book.opf, "meta", [](const XMLElement* e) {
    return e->Attribute("property", "dcterms:modified") != nullptr;
  }));
  read_cover(epub, book, info);
  return info;
}

}  // namespace inkpack

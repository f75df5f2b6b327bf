#pragma once
// What a served book says of itself, read from its package document: the page for phones and
// the OPDS feed show it.
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace inkpack {

struct BookInfo {
  std::string title;        ///< dc:title; empty when the book has none
  std::vector<std::string> authors;  ///< dc:creator, in order
  std::string language;     ///< dc:language
  std::string description;  ///< dc:description, as text
  std::string identifier;   ///< dc:identifier (the unique-identifier one): urn:uuid:…
  std::string modified;     ///< dcterms:modified as written, e.g. 2024-07-01T08:00:00Z
  std::string cover;        ///< the cover-image item's bytes; empty when there is none
  std::string cover_type;   ///< its media type
  std::string thumbnail;    ///< the cover fitted to k_thumbnail_width x k_thumbnail_height, a JPEG or PNG
  std::string thumbnail_type;
};

/// The page shows covers 96 CSS pixels wide; three device pixels to one on today's phones.
constexpr int k_thumbnail_width = 288;
constexpr int k_thumbnail_height = 460;

/// Reads an EPUB's metadata and cover. An error when it is not an EPUB (not a zip, no
/// container.xml or package document).
Expected<BookInfo> read_book_info(std::string_view epub);

}  // namespace inkpack

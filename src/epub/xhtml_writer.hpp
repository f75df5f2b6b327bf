#pragma once
// Sections into XHTML content documents.
#include <cstddef>
#include <string>
#include <vector>

#include "epub/templates.hpp"
#include "limits.hpp"
#include "model/document.hpp"
#include "util/error.hpp"

namespace inkpack {

struct ChapterFile {
  std::string href;        ///< relative to the package document, e.g. "text/ch001.xhtml"
  std::string title;       ///< the section's title
  bool starts_section;     ///< first file of its section: the one the TOC points to
  int depth = 1;           ///< the section's depth in the TOC
  bool title_page = false;
  bool cover = false;
  std::size_t undescribed_images = 0;  ///< pictures with neither alt text nor a caption
  std::string xhtml;
};

/// The title page: title, authors, contributors with their roles, publisher, date, a link to
/// the original. Not in the TOC; first in the reading order.
Expected<ChapterFile> write_title_page(const Document& doc, const Templates& templates);

/// The cover page: the cover image alone, filling the screen. First in the reading order.
Expected<ChapterFile> write_cover_page(const Document& doc, const Templates& templates, const std::string& image_href);

/// One file per section, more where a section exceeds `split_bytes`; `#id` links point into
/// whichever file holds the id.
Expected<std::vector<ChapterFile>> write_chapters(const Document& doc, const Templates& templates,
                                                  std::size_t split_bytes = k_max_content_file_bytes);

}  // namespace inkpack

#pragma once
// The package document (OPF), the EPUB 3 navigation document and the EPUB 2 NCX that Kobo and Nook
// sideloading still read. All three list the same files in the same order.
#include <string>
#include <vector>

#include "epub/templates.hpp"
#include "epub/xhtml_writer.hpp"
#include "model/document.hpp"
#include "util/error.hpp"

namespace inkpack {

/// The OPF's <meta name="generator">: the mark of a book inkpack wrote (no version, so that the
/// same inputs give the same bytes across versions).
inline constexpr const char* k_generator = "inkpack";

/// A file of the book besides mimetype, container.xml and the package document: what the
/// manifest lists and the zip holds, each from this one record.
struct PackageFile {
  std::string id;
  std::string href;  ///< relative to the package document
  std::string media_type;
  std::string bytes;
  const char* properties = nullptr;  ///< "nav", "cover-image"
  bool compress = true;              ///< false for pictures, which do not get smaller
};

/// An entry of the reading order.
struct SpineItem {
  std::string idref;
  bool linear = true;
};

struct PackageContents {
  const Document& doc;
  const std::vector<ChapterFile>& chapters;  ///< in reading order: cover, title page, sections
  std::string modified;  ///< dcterms:modified, CCYY-MM-DDThh:mm:ssZ
};

/// The package document: metadata, a manifest of exactly `files`, and `spine`.
Expected<std::string> write_opf(const Templates& templates, const PackageContents& contents,
                                const std::vector<PackageFile>& files, const std::vector<SpineItem>& spine);
Expected<std::string> write_nav(const Templates& templates, const PackageContents& contents);
Expected<std::string> write_ncx(const Templates& templates, const PackageContents& contents);
/// META-INF/container.xml, checked to be well-formed.
Expected<std::string> write_container(const Templates& templates);

}  // namespace inkpack

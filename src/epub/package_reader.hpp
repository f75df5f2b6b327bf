#pragma once
// Reading an EPUB back: its zip entries, container.xml to the package document, the manifest and
// the spine. `inkpack check` judges what it finds; `inkpack serve` shows a book's metadata.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tinyxml2.h>

#include "util/error.hpp"

namespace inkpack {

struct ZipEntry {
  std::string name;
  std::uint64_t size = 0;
  std::string bytes;  ///< read for XML files (and mimetype) only
};

struct Package {
  std::map<std::string, ZipEntry> entries;
  std::string opf_path, opf_dir;
  tinyxml2::XMLDocument opf;
  std::map<std::string, std::string> href_of, type_of;  ///< manifest id -> path in the zip, media type
  std::vector<std::string> spine;                       ///< paths in the zip
};

/// Whether a file in a book is XML by its name (.xhtml, .opf, .ncx, .svg…).
bool is_xml_name(const std::string& name);

/// Every entry of the zip, the XML ones read; an error when `epub` is not a zip or its XML is
/// larger than any book's (a zip bomb).
Expected<std::map<std::string, ZipEntry>> read_zip_entries(std::string_view epub);

/// One entry's bytes, whatever its type; an error when it is missing or larger than `limit`.
Expected<std::string> read_zip_entry(std::string_view epub, const std::string& name, std::uint64_t limit);

/// Follows META-INF/container.xml to the package document in `book.entries`, parses it and
/// fills the manifest and the spine.
Expected<void> open_package(Package& book);

/// `href` (relative to `base_dir`, maybe percent-encoded, maybe with a #fragment) as a path in the zip.
std::string resolve_href(const std::string& base_dir, const std::string& href);
/// The folder part of a path in the zip, with its trailing slash ("" at the top).
std::string dir_of(const std::string& path);

/// Depth-first, in document order.
void each_element(const tinyxml2::XMLElement* element, const std::function<void(const tinyxml2::XMLElement*)>& visit);
/// An element's name without its namespace prefix: "title" for dc:title.
std::string local_name(const tinyxml2::XMLElement* e);
/// The first element with this local name (dc:title, meta…) for which `pick` holds, or null.
const tinyxml2::XMLElement* first_element(const tinyxml2::XMLDocument& doc, const std::string& name,
                                          const std::function<bool(const tinyxml2::XMLElement*)>& pick = {});

}  // namespace inkpack

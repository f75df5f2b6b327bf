#include "epub/package_reader.hpp"

#include <zip.h>

#include <algorithm>
#include <memory>

#include "limits.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

// No book's XML is this large, in one file or in all; more is a zip bomb, not a book.

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Archive = std::unique_ptr<zip_t, ZipCloser>;

Expected<Archive> open_archive(std::string_view epub) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(epub.data(), epub.size(), 0, &error);
  Archive archive(source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr);
  if (!archive) {
    if (source) zip_source_free(source);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return fail("not an EPUB (a zip file): " + why);
  }
  zip_error_fini(&error);
  return archive;
}

Expected<std::string> read_index(zip_t* archive, zip_int64_t index, const std::string& name, std::uint64_t size) {
  zip_file_t* file = zip_fopen_index(archive, index, 0);
  if (!file) return fail("cannot read " + name + " in the book: " + zip_strerror(archive));
  std::string bytes(size, '\0');
  const zip_int64_t got = zip_fread(file, bytes.data(), size);
  zip_fclose(file);
  if (got != static_cast<zip_int64_t>(size)) return fail("cannot read " + name + ": the zip is damaged");
  return bytes;
}

}  // namespace

bool is_xml_name(const std::string& name) {
  for (const char* ext : {".xhtml", ".html", ".htm", ".opf", ".ncx", ".xml", ".svg"})
    if (name.ends_with(ext)) return true;
  return false;
}

Expected<std::map<std::string, ZipEntry>> read_zip_entries(std::string_view epub) {
  auto archive = open_archive(epub);
  if (!archive) return std::unexpected(archive.error());
  std::map<std::string, ZipEntry> entries;
  std::uint64_t xml_bytes = 0;
  const zip_int64_t count = zip_get_num_entries(archive->get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    if (zip_stat_index(archive->get(), i, 0, &stat) != 0) continue;
    ZipEntry entry{stat.name, stat.size, {}};
    if (is_xml_name(entry.name) || entry.name == "mimetype") {
      xml_bytes += stat.size;
      if (stat.size > k_max_epub_entry_bytes || xml_bytes > k_max_epub_xml_bytes)
        return fail(entry.name + " makes the book's XML larger than any book's: " + human_size(stat.size));
      auto bytes = read_index(archive->get(), i, entry.name, stat.size);
      if (!bytes) return std::unexpected(bytes.error());
      entry.bytes = std::move(*bytes);
    }
    entries.emplace(entry.name, std::move(entry));
  }
  return entries;
}

Expected<std::string> read_zip_entry(std::string_view epub, const std::string& name, std::uint64_t limit) {
  auto archive = open_archive(epub);
  if (!archive) return std::unexpected(archive.error());
  zip_stat_t stat;
  const zip_int64_t index = zip_name_locate(archive->get(), name.c_str(), 0);
  if (index < 0 || zip_stat_index(archive->get(), index, 0, &stat) != 0) return fail(name + " is not in the book");
  if (stat.size > limit) return fail(name + " is larger than " + human_size(limit));
  return read_index(archive->get(), index, name, stat.size);
}

std::string resolve_href(const std::string& base_dir, const std::string& href) {
  const std::string decoded = percent_decode(href.substr(0, href.find('#')));
  std::vector<std::string> parts;
  std::string path = base_dir + decoded;
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : "/") + part;
  return joined;
}

std::string dir_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

void each_element(const XMLElement* element, const std::function<void(const XMLElement*)>& visit) {
  for (const XMLElement* child = element ? element->FirstChildElement() : nullptr; child;
       child = child->NextSiblingElement()) {
    visit(child);
    each_element(child, visit);
  }
}

std::string local_name(const XMLElement* e) {
  const std::string name = e->Name();
  const std::size_t colon = name.find(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

const XMLElement* first_element(const XMLDocument& doc, const std::string& name,
                                const std::function<bool(const XMLElement*)>& pick) {
  const XMLElement* found = nullptr;
  each_element(doc.RootElement(), [&](const XMLElement* e) {
    if (!found && local_name(e) == name && (!pick || pick(e))) found = e;
  });
  return found;
}

Expected<void> open_package(Package& book) {
  const auto container = book.entries.find("META-INF/container.xml");
  if (container == book.entries.end()) return fail("not an EPUB: META-INF/container.xml is missing");
  XMLDocument doc;
  if (doc.Parse(container->second.bytes.data(), container->second.bytes.size()) != tinyxml2::XML_SUCCESS)
    return fail("not an EPUB: META-INF/container.xml is not well-formed XML");
  each_element(doc.RootElement(), [&](const XMLElement* e) {
    if (local_name(e) == "rootfile" && book.opf_path.empty() && e->Attribute("full-path"))
      book.opf_path = e->Attribute("full-path");
  });
  const auto opf = book.entries.find(book.opf_path);
  if (opf == book.entries.end()) return fail("not an EPUB: the package document " + book.opf_path + " is missing");
  if (book.opf.Parse(opf->second.bytes.data(), opf->second.bytes.size()) != tinyxml2::XML_SUCCESS)
    return fail("the package document " + book.opf_path + " is not well-formed XML");
  book.opf_dir = dir_of(book.opf_path);
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    if (local_name(e) == "item" && e->Attribute("id") && e->Attribute("href")) {
      book.href_of[e->Attribute("id")] = resolve_href(book.opf_dir, e->Attribute("href"));
      book.type_of[e->Attribute("id")] = e->Attribute("media-type") ? e->Attribute("media-type") : "";
    }
  });
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    if (local_name(e) == "itemref" && e->Attribute("idref") && book.href_of.count(e->Attribute("idref")))
      book.spine.push_back(book.href_of[e->Attribute("idref")]);
  });
  return {};
}

}  // namespace inkpack

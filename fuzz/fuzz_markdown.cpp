// libFuzzer: article bytes -> a whole book, in memory. Besides crashes and sanitizer reports,
// it fails when any XML file of the book is not well-formed, which reading systems would reject,
// or when the package document's manifest and the zip's files disagree.
// Built twice: as fuzz_markdown (the bytes saved as .md) and fuzz_html (as .html, read by Gumbo).
#include <tinyxml2.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "book.hpp"
#include "package/assemble.hpp"
#include "util/files.hpp"

#ifndef FUZZ_ARTICLE_EXTENSION
#define FUZZ_ARTICLE_EXTENSION ".md"
#endif

namespace {

bool well_formed(const std::string& xml) {
  tinyxml2::XMLDocument doc;
  return doc.Parse(xml.data(), xml.size()) == tinyxml2::XML_SUCCESS;
}

bool is_xml(const std::string& path) {
  for (const char* ext : {".xhtml", ".opf", ".ncx", ".xml"})
    if (path.ends_with(ext)) return true;
  return false;
}

// Every file the OPF's manifest lists, as a zip path.
std::set<std::string> manifest_paths(const std::string& opf) {
  tinyxml2::XMLDocument doc;
  doc.Parse(opf.data(), opf.size());
  std::set<std::string> paths;
  const auto* manifest = doc.RootElement() ? doc.RootElement()->FirstChildElement("manifest") : nullptr;
  for (auto* item = manifest ? manifest->FirstChildElement("item") : nullptr; item; item = item->NextSiblingElement("item"))
    paths.insert(std::string("EPUB/") + item->Attribute("href"));
  return paths;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The article is a file, as a user's would be; images stay out (no network, no local files).
  static const std::filesystem::path article =
      std::filesystem::temp_directory_path() / ("inkpack-fuzz-" + std::to_string(::getpid()) + FUZZ_ARTICLE_EXTENSION);
  if (!inkpack::write_file_atomically(article, {reinterpret_cast<const char*>(data), size}, false)) std::abort();
  inkpack::BuildOptions options;
  options.inputs = {article};
  options.timestamp = 0;
  options.embed_images = false;
  // The reader's path is the target: no font subset, and a cover small enough to cost nothing.
  options.font = "none";
  options.images.policy.profile.cover_width = 160;
  options.images.policy.profile.cover_height = 256;
  inkpack::Diagnostics diags;
  auto doc = inkpack::load_document(options, diags);
  if (!doc) return 0;  // refused with a message (too large, say): fine
  const inkpack::PackageOptions package{std::nullopt, options.font, std::nullopt, std::nullopt, options.images.policy, 0};
  auto entries = inkpack::assemble_package(*doc, package, diags);
  if (!entries) std::abort();  // a document that was read makes a book
  std::set<std::string> files;
  for (const auto& entry : *entries) {
    if (is_xml(entry.path) && !well_formed(entry.bytes)) std::abort();
    if (entry.path.starts_with("EPUB/") && entry.path != "EPUB/content.opf") files.insert(entry.path);
  }
  if (entries->size() < 3 || entries->at(2).path != "EPUB/content.opf" || manifest_paths(entries->at(2).bytes) != files)
    std::abort();
  for (const auto& section : doc->sections)
    if (section.title.empty()) std::abort();  // every table-of-contents entry has a title
  return 0;
}

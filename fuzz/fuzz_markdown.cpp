// libFuzzer: article bytes -> a whole book, in memory. Besides crashes and sanitizer reports,
// it fails when any XML file of the book is not well-formed, which reading systems would reject.
// Built twice: as fuzz_markdown (the bytes saved as .md) and fuzz_html (as .html, read by Gumbo).
#include <tinyxml2.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "book.hpp"
#include "epub/package_writer.hpp"
#include "epub/templates.hpp"
#include "epub/xhtml_writer.hpp"
#include "util/files.hpp"

#ifndef FUZZ_ARTICLE_EXTENSION
#define FUZZ_ARTICLE_EXTENSION ".md"
#endif

namespace {

bool well_formed(const std::string& xml) {
  tinyxml2::XMLDocument doc;
  return doc.Parse(xml.data(), xml.size()) == tinyxml2::XML_SUCCESS;
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
  static const auto templates = inkpack::Templates::load(std::nullopt);
  auto chapters = inkpack::write_chapters(*doc, *templates);
  if (!chapters) return 0;
  const std::vector<inkpack::BookFile> resources;
  const inkpack::PackageContents contents{*doc, *chapters, resources, "2024-01-01T00:00:00Z"};
  for (const auto& chapter : *chapters)
    if (!well_formed(chapter.xhtml)) std::abort();
  if (auto title_page = inkpack::write_title_page(*doc, *templates); !title_page || !well_formed(title_page->xhtml))
    std::abort();
  for (const auto& part : {write_opf(*templates, contents), write_nav(*templates, contents), write_ncx(*templates, contents)})
    if (part && !well_formed(*part)) std::abort();
  if (!inkpack::write_epub(*doc, options, diags)) std::abort();  // the zip of what was just checked
  for (const auto& section : doc->sections)
    if (section.title.empty()) std::abort();  // every table-of-contents entry has a title
  return 0;
}

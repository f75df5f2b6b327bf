// libFuzzer: bytes -> `inkpack check`'s preflight, which reads EPUBs from anywhere. Input that
// starts like a zip is checked as it is (libzip's reading); anything else is cut at NUL bytes
// into a package document, a nav, an NCX and a chapter, zipped, then checked, so mutations reach
// the XML-driven rules (paths, spine order, images) rather than stopping at a zip CRC.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "check/preflight.hpp"
#include "epub/zip_writer.hpp"

namespace {

std::string as_epub(std::string_view data) {
  std::vector<std::string> parts(4);
  std::size_t part = 0;
  for (char c : data) {
    if (c == '\0' && part + 1 < parts.size()) ++part;
    else parts[part] += c;
  }
  const std::string container =
      R"(<?xml version="1.0" encoding="UTF-8"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>)";
  auto zipped = inkpack::zip_entries({{"mimetype", "application/epub+zip", false},
                                      {"META-INF/container.xml", container},
                                      {"EPUB/content.opf", parts[0]},
                                      {"EPUB/nav.xhtml", parts[1]},
                                      {"EPUB/toc.ncx", parts[2]},
                                      {"EPUB/text/ch001.xhtml", parts[3]},
                                      {"EPUB/images/a.png", "\x89PNG", false}},
                                     0);
  if (!zipped) std::abort();  // zipping text cannot fail
  return *zipped;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string epub = bytes.starts_with("PK\x03\x04") ? std::string(bytes) : as_epub(bytes);
  const auto report = inkpack::preflight(epub);
  if (!report) return 0;  // not an EPUB, said so: fine
  if (report->rules.empty() || report->format(true).empty()) std::abort();
  return 0;
}

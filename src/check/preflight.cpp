#include "check/preflight.hpp"

#include <tinyxml2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "epub/package_reader.hpp"
#include "epub/xml_printer.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

// Languages the Kindle store and Kobo accept for e-books (primary subtags).
const std::set<std::string> k_store_languages{
    "af", "ar", "bg", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu", "fi", "fo", "fr", "fy", "ga",
    "gd", "gl", "gu", "he", "hi", "hr", "hu", "id", "is", "it", "ja", "kn", "ko", "la", "lt", "lv", "ml", "mr",
    "ms", "nb", "nl", "nn", "no", "pl", "pt", "rm", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "ta", "te", "th",
    "tr", "uk", "ur", "vi", "zh"};

bool parse_entry(const Package& book, const std::string& path, XMLDocument& doc) {
  const auto entry = book.entries.find(path);
  return entry != book.entries.end() &&
         doc.Parse(entry->second.bytes.data(), entry->second.bytes.size()) == tinyxml2::XML_SUCCESS;
}

// Every XML file parses: a reading system refuses a book with one that does not (EPUBCheck calls
// it FATAL), and a broken --templates file would make one.
PreflightRule check_well_formed(const std::map<std::string, ZipEntry>& entries) {
  PreflightRule rule{"well-formed", "every XHTML, OPF, NCX and XML file is well-formed XML", {}, true};
  for (const auto& [name, entry] : entries) {
    if (!is_xml_name(name)) continue;
    XMLDocument doc;
    if (doc.Parse(entry.bytes.data(), entry.bytes.size()) == tinyxml2::XML_SUCCESS) continue;
    rule.problems.push_back(name + ": " + xml_error_in_words(doc));
  }
  return rule;
}

// CCYY-MM-DDThh:mm:ssZ, as EPUB 3 requires of dcterms:modified, with each field in its range.
bool is_epub_date(const std::string& date) {
  constexpr std::string_view k_shape = "dddd-dd-ddTdd:dd:ddZ";
  if (date.size() != k_shape.size()) return false;
  for (std::size_t i = 0; i < date.size(); ++i)
    if (k_shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(date[i])) : date[i] != k_shape[i]) return false;
  const auto field = [&](std::size_t at) { return std::stoi(date.substr(at, 2)); };
  return field(5) >= 1 && field(5) <= 12 && field(8) >= 1 && field(8) <= 31 && field(11) <= 23 && field(14) <= 59 &&
         field(17) <= 60;
}

PreflightRule check_modified(const Package& book) {
  PreflightRule rule{"modified", "dcterms:modified is a date as CCYY-MM-DDThh:mm:ssZ", {}};
  const XMLElement* modified = first_element(book.opf, "meta", [](const XMLElement* e) {
    return e->Attribute("property", "dcterms:modified") != nullptr;
  });
  const bool epub3 = book.opf.RootElement() && book.opf.RootElement()->Attribute("version") &&
                     std::string(book.opf.RootElement()->Attribute("version")).starts_with("3");
  const std::string date = modified && modified->GetText() ? trim(modified->GetText()) : "";
  if (!modified && epub3) rule.problems.push_back(book.opf_path + ": no dcterms:modified, which EPUB 3 requires");
  else if (modified && !is_epub_date(date))
    rule.problems.push_back(book.opf_path + ": dcterms:modified \"" + date + "\" is not a date as CCYY-MM-DDThh:mm:ssZ");
  return rule;
}

PreflightRule check_xml_declarations(const Package& book) {
  PreflightRule rule{"xml", "XML files begin with an XML declaration naming UTF-8", {}};
  for (const auto& [name, entry] : book.entries) {
    if (!is_xml_name(name)) continue;
    const std::string& b = entry.bytes;
    const std::size_t end = b.find("?>");
    const std::string declaration = b.starts_with("<?xml") && end != std::string::npos ? b.substr(0, end) : "";
    if (declaration.empty()) rule.problems.push_back(name + ": no XML declaration");
    else if (declaration.find("encoding=\"UTF-8\"") == std::string::npos &&
             declaration.find("encoding='UTF-8'") == std::string::npos &&
             declaration.find("encoding=\"utf-8\"") == std::string::npos)
      rule.problems.push_back(name + ": the XML declaration does not say encoding=\"UTF-8\"");
  }
  return rule;
}

PreflightRule check_language(const Package& book) {
  PreflightRule rule{"language", "dc:language is a language Kindle and Kobo accept", {}};
  std::string language;
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    if (local_name(e) == "language" && language.empty() && e->GetText()) language = trim(e->GetText());
  });
  const std::string primary = language.substr(0, language.find('-'));
  if (language.empty()) rule.problems.push_back(book.opf_path + ": no dc:language");
  else if (!k_store_languages.count(primary))
    rule.problems.push_back(book.opf_path + ": dc:language \"" + language + "\" is not one the stores accept");
  return rule;
}

// Every <img> in every content document: its file exists, and it says what it shows.
void check_images(const Package& book, PreflightRule& src_rule, PreflightRule& alt_rule) {
  for (const auto& [id, path] : book.href_of) {
    if (book.type_of.at(id) != "application/xhtml+xml") continue;
    XMLDocument doc;
    if (!parse_entry(book, path, doc)) {
      src_rule.problems.push_back(path + ": missing or not well-formed, so its images cannot be checked");
      continue;
    }
    each_element(doc.RootElement(), [&](const XMLElement* e) {
      if (local_name(e) != "img") return;
      const char* src = e->Attribute("src");
      const std::string shown = src ? std::string("<img src=\"") + src + "\">" : "<img> without src";
      if (!src || !*src) src_rule.problems.push_back(path + ": " + shown);
      else if (!book.entries.count(resolve_href(dir_of(path), src)))
        src_rule.problems.push_back(path + ": " + shown + " points to a file not in the book");
      const char* alt = e->Attribute("alt");
      const bool decorative = e->Attribute("role", "presentation") || e->Attribute("role", "none");
      if (!alt) alt_rule.problems.push_back(path + ": " + shown + " has no alt attribute");
      else if (trim(alt).empty() && !decorative)
        alt_rule.problems.push_back(path + ": " + shown + " has an empty alt but is not marked role=\"presentation\"");
    });
  }
}

// The NCX's and the nav's entries, in order, must not go back in the spine: Kindle builds its
// table of contents and "go to" menu from them and rejects a book where they disagree.
PreflightRule check_toc_order(const Package& book) {
  PreflightRule rule{"toc-order", "the NCX and the nav list chapters in spine order", {}};
  const auto check = [&](const std::string& path, const char* element, const char* attribute) {
    XMLDocument doc;
    if (!parse_entry(book, path, doc)) {
      rule.problems.push_back(path + ": missing or not well-formed");
      return;
    }
    std::size_t last = 0;
    bool in_toc = std::string(element) == "content";
    each_element(doc.RootElement(), [&](const XMLElement* e) {
      if (local_name(e) == "nav") in_toc = e->Attribute("epub:type", "toc") != nullptr;
      if (!in_toc || local_name(e) != element || !e->Attribute(attribute)) return;
      const std::string target = resolve_href(dir_of(path), e->Attribute(attribute));
      const auto at = std::find(book.spine.begin(), book.spine.end(), target);
      if (at == book.spine.end()) {
        rule.problems.push_back(path + ": " + target + " is not in the spine");
        return;
      }
      const auto index = static_cast<std::size_t>(at - book.spine.begin());
      if (index < last) rule.problems.push_back(path + ": " + target + " comes before the entry above it in the spine");
      last = std::max(last, index);
    });
  };
  bool has_ncx = false;
  for (const auto& [id, type] : book.type_of) {
    if (type == "application/x-dtbncx+xml") {
      has_ncx = true;
      check(book.href_of.at(id), "content", "src");
    }
  }
  if (!has_ncx) rule.problems.push_back(book.opf_path + ": no NCX (toc.ncx), which Kindle and older Kobos read");
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    const char* properties = e->Attribute("properties");
    const char* href = e->Attribute("href");
    if (local_name(e) == "item" && properties && href && std::string(properties).find("nav") != std::string::npos)
      check(resolve_href(book.opf_dir, href), "a", "href");
  });
  return rule;
}

void check_sizes(const Package& book, std::uint64_t total, PreflightRule& content, PreflightRule& images,
                 PreflightRule& whole) {
  for (const auto& [id, path] : book.href_of) {
    const auto entry = book.entries.find(path);
    if (entry == book.entries.end()) continue;
    const std::string& type = book.type_of.at(id);
    const std::uint64_t size = entry->second.size;
    if (type == "application/xhtml+xml" && size > k_max_content_file_bytes)
      content.problems.push_back(path + ": " + human_size(size) + ", over " + human_size(k_max_content_file_bytes));
    if (type.starts_with("image/") && size > k_max_image_bytes)
      images.problems.push_back(path + ": " + human_size(size) + ", over " + human_size(k_max_image_bytes));
  }
  if (total > k_max_book_bytes)
    whole.problems.push_back("the book is " + human_size(total) + ", over Send to Kindle's " + human_size(k_max_book_bytes));
}

PreflightRule check_cover(const Package& book) {
  PreflightRule rule{"cover", "a cover image, declared for EPUB 3 and EPUB 2 readers", {}};
  bool epub3 = false, epub2 = false;
  each_element(book.opf.RootElement(), [&](const XMLElement* e) {
    const char* properties = e->Attribute("properties");
    if (local_name(e) == "item" && properties && std::string(properties).find("cover-image") != std::string::npos)
      epub3 = true;
    if (local_name(e) == "meta" && e->Attribute("name", "cover") && e->Attribute("content"))
      epub2 = epub2 || book.href_of.count(e->Attribute("content")) > 0;
  });
  if (!epub3) rule.problems.push_back(book.opf_path + ": no manifest item with properties=\"cover-image\"");
  if (!epub2) rule.problems.push_back(book.opf_path + ": no <meta name=\"cover\"> naming the cover's manifest item");
  return rule;
}

}  // namespace

bool Preflight::passed() const {
  return std::all_of(rules.begin(), rules.end(), [](const PreflightRule& r) { return r.problems.empty(); });
}

std::string Preflight::format(bool all, bool failures_only) const {
  constexpr std::size_t k_shown = 5;
  std::string out;
  std::size_t failed = 0;
  for (const PreflightRule& rule : rules) {
    if (failures_only && rule.problems.empty()) continue;
    out += (rule.problems.empty() ? "  ok    " : "  FAIL  ") + rule.id + ": " + rule.title + "\n";
    failed += !rule.problems.empty();
    for (std::size_t i = 0; i < rule.problems.size() && (all || i < k_shown); ++i)
      out += "          " + rule.problems[i] + "\n";
    if (!all && rule.problems.size() > k_shown)
      out += "          … and " + std::to_string(rule.problems.size() - k_shown) + " more\n";
  }
  out += failed == 0 ? "passed: all " + std::to_string(rules.size()) + " rules hold\n"
                     : "failed: " + std::to_string(failed) + " of " + std::to_string(rules.size()) + " rules\n";
  return out;
}

Expected<Preflight> preflight(std::string_view epub) {
  Package book;
  auto entries = read_zip_entries(epub);
  if (!entries) return std::unexpected(entries.error());
  book.entries = std::move(*entries);
  PreflightRule well_formed = check_well_formed(book.entries);
  // A package document that does not parse leaves nothing else to check, but it is still the
  // broken rule's to report, with its line, not a book that cannot be read at all.
  if (auto opened = open_package(book); !opened)
    return well_formed.problems.empty() ? Expected<Preflight>(std::unexpected(opened.error()))
                                        : Preflight{{std::move(well_formed)}};
  Preflight report;
  PreflightRule src{"img-src", "every <img> has a src, and the file is in the book", {}};
  PreflightRule alt{"img-alt", "every <img> has alt text (empty only when marked decorative)", {}};
  PreflightRule content{"content-size", "content files under " + human_size(k_max_content_file_bytes), {}};
  PreflightRule images{"image-size", "images under " + human_size(k_max_image_bytes), {}};
  PreflightRule whole{"book-size", "the book under " + human_size(k_max_book_bytes) + " (Send to Kindle by e-mail)", {}};
  check_images(book, src, alt);
  check_sizes(book, epub.size(), content, images, whole);
  report.rules = {std::move(well_formed), check_xml_declarations(book), check_modified(book), check_language(book), std::move(src), std::move(alt),
                  check_toc_order(book), std::move(content), std::move(images), std::move(whole), check_cover(book)};
  return report;
}

std::optional<PackageIdentity> package_identity(std::string_view epub) {
  Package book;
  auto entries = read_zip_entries(epub);
  if (!entries) return std::nullopt;
  book.entries = std::move(*entries);
  if (!open_package(book)) return std::nullopt;
  const XMLElement* title = first_element(book.opf, "title");
  const XMLElement* generator = first_element(book.opf, "meta", [](const XMLElement* e) {
    return e->Attribute("name", "generator") != nullptr;
  });
  return PackageIdentity{title && title->GetText() ? trim(title->GetText()) : "",
                         generator && generator->Attribute("content") ? generator->Attribute("content") : ""};
}

}  // namespace inkpack

#include "serve/opds_feed.hpp"

#include <tinyxml2.h>

#include <ctime>
#include <regex>

#include "epub/xml_printer.hpp"
#include "serve/routes.hpp"
#include "transform/metadata.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

// The link relations OPDS 1.2 defines for what a catalog entry offers (section 8).
constexpr const char* k_rel_acquisition = "http://opds-spec.org/acquisition";
constexpr const char* k_rel_image = "http://opds-spec.org/image";
constexpr const char* k_rel_thumbnail = "http://opds-spec.org/image/thumbnail";

XMLElement* add(XMLElement* parent, const char* name, const std::string& text = {}) {
  XMLElement* e = parent->InsertNewChildElement(name);
  if (!text.empty()) e->SetText(text.c_str());
  return e;
}

void add_link(XMLElement* parent, const char* rel, const std::string& href, std::string_view type) {
  XMLElement* link = add(parent, "link");
  link->SetAttribute("rel", rel);
  link->SetAttribute("href", href.c_str());
  link->SetAttribute("type", std::string(type).c_str());
}

// The book's dcterms:modified when it is a date as Atom writes them, else the file's time.
std::string updated_of(const ServedBook& book) {
  static const std::regex k_date(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))");
  return std::regex_match(book.info->modified, k_date) ? book.info->modified : rfc3339(book.modified);
}

// atom:id must be an IRI that stays the book's: its own identifier when it is one.
std::string entry_id(const ServedBook& book) {
  const std::string& id = book.info->identifier;
  if (id.find(':') != std::string::npos && id.find(' ') == std::string::npos) return id;
  return identifier_for(book.name + "\n" + std::to_string(book.size));
}

void add_entry(XMLElement* feed, const ServedBook& book, std::string_view token) {
  const BookInfo& info = *book.info;
  XMLElement* entry = add(feed, "entry");
  add(entry, "title", info.title.empty() ? book.name : info.title);
  add(entry, "id", entry_id(book));
  add(entry, "updated", updated_of(book));
  for (const std::string& author : info.authors) add(add(entry, "author"), "name", author);
  if (!info.language.empty()) add(entry, "dc:language", info.language);
  // An entry without atom:content needs an alternate link (RFC 4287 §4.1.1); the description,
  // or what the file is, serves as both summary and content.
  const std::string about = info.description.empty() ? "EPUB, " + human_size(book.size) : info.description;
  add(entry, "summary", about)->SetAttribute("type", "text");
  add(entry, "content", about)->SetAttribute("type", "text");
  if (!info.cover.empty()) {
    add_link(entry, k_rel_image, route_path(token, RouteKind::cover, book.name), info.cover_type);
    add_link(entry, k_rel_thumbnail, route_path(token, RouteKind::thumbnail, book.name), info.thumbnail_type);
  }
  add_link(entry, k_rel_acquisition, route_path(token, RouteKind::book, book.name), "application/epub+zip");
  entry->LastChildElement("link")->SetAttribute("length", std::to_string(book.size).c_str());
}

}  // namespace

std::string rfc3339(std::chrono::system_clock::time_point time) {
  return utc_text(std::chrono::system_clock::to_time_t(time), "%Y-%m-%dT%H:%M:%SZ");
}

std::string opds_feed(const std::vector<ServedBook>& books, std::string_view token, const std::string& feed_id) {
  XMLDocument doc;
  doc.InsertEndChild(doc.NewDeclaration());
  XMLElement* feed = doc.NewElement("feed");
  doc.InsertEndChild(feed);
  feed->SetAttribute("xmlns", "http://www.w3.org/2005/Atom");
  feed->SetAttribute("xmlns:dc", "http://purl.org/dc/terms/");
  feed->SetAttribute("xmlns:opds", "http://opds-spec.org/2010/catalog");
  add(feed, "id", feed_id);
  add(feed, "title", "inkpack");
  std::string updated;
  for (const ServedBook& book : books) updated = std::max(updated, updated_of(book));
  add(feed, "updated", updated.empty() ? rfc3339(std::chrono::system_clock::now()) : updated);
  add(add(feed, "author"), "name", "inkpack");
  const std::string self = route_path(token, RouteKind::feed);
  add_link(feed, "self", self, k_acquisition_feed_type);
  add_link(feed, "start", self, k_acquisition_feed_type);
  for (const ServedBook& book : books) add_entry(feed, book, token);
  return print_xml(doc);
}

}  // namespace inkpack

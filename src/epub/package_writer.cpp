#include "epub/package_writer.hpp"

#include <algorithm>

#include "epub/xml_printer.hpp"
#include "model/labels.hpp"

namespace inkpack {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

XMLElement* add(XMLElement* parent, const char* name, const std::string& text = {}) {
  XMLElement* element = parent->InsertEndChild(parent->GetDocument()->NewElement(name))->ToElement();
  if (!text.empty()) element->SetText(text.c_str());
  return element;
}


Expected<XMLElement*> require(XMLDocument& doc, const char* name, const std::string& template_name) {
  XMLElement* element = find_element(&doc, name);
  if (!element) return fail("template " + template_name + " has no <" + name + ">");
  return element;
}

// schema.org accessibility metadata (EPUB Accessibility 1.1), from what the book holds: how it
// can be read, and what it offers those who cannot see its images. Text alone suffices, and
// alternativeText is claimed, only when every picture has a description of its own (alt text or
// a caption); Ace cannot tell an honest claim from a false one, so this must.
void add_accessibility(XMLElement* metadata, const PackageContents& c) {
  const bool pictures = !c.doc.media.empty();
  std::size_t undescribed = 0;
  for (const ChapterFile& chapter : c.chapters) undescribed += chapter.undescribed_images;
  const bool described = pictures && undescribed == 0;
  const bool animations = std::any_of(c.doc.media.begin(), c.doc.media.end(),
                                      [](const MediaItem& media) { return media.media_type == "image/gif"; });
  const auto property = [&](const char* name, const std::string& value) {
    add(metadata, "meta", value)->SetAttribute("property", name);
  };
  property("schema:accessMode", "textual");
  if (pictures) property("schema:accessMode", "visual");
  if (!pictures || described) property("schema:accessModeSufficient", "textual");
  if (pictures) property("schema:accessModeSufficient", "textual,visual");
  for (const char* feature : {"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"})
    property("schema:accessibilityFeature", feature);
  if (described) property("schema:accessibilityFeature", "alternativeText");
  // A kept animation (--keep-animation) may flash; nothing else in an article can.
  property("schema:accessibilityHazard", animations ? "unknown" : "none");
  const std::string& lang = c.doc.meta.language;
  property("schema:accessibilitySummary",
           label(lang, Label::accessibility_summary) +
               (!pictures    ? ""
                : described ? label(lang, Label::images_described)
                            : label(lang, Label::images_undescribed)));
}

void add_metadata(XMLElement* metadata, const PackageContents& c, const std::vector<PackageFile>& files) {
  const Metadata& meta = c.doc.meta;
  add(metadata, "dc:identifier", meta.identifier)->SetAttribute("id", "book-id");
  add(metadata, "dc:title", meta.title);
  add(metadata, "dc:language", meta.language);
  // Tells a rebuild from another book when a default output name is taken (build_book).
  XMLElement* generator = add(metadata, "meta", "");
  generator->SetAttribute("name", "generator");
  generator->SetAttribute("content", k_generator);
  int people = 0;
  const auto person = [&](const char* element, const std::string& name, const std::string& role) {
    const std::string id = "person-" + std::to_string(++people);
    add(metadata, element, name)->SetAttribute("id", id.c_str());
    XMLElement* refines = add(metadata, "meta", role);
    refines->SetAttribute("refines", ("#" + id).c_str());
    refines->SetAttribute("property", "role");
    refines->SetAttribute("scheme", "marc:relators");
  };
  for (const std::string& author : meta.authors) person("dc:creator", author, "aut");
  for (const Contributor& contributor : meta.contributors) person("dc:contributor", contributor.name, contributor.role);
  if (!meta.publisher.empty()) add(metadata, "dc:publisher", meta.publisher);
  if (!meta.date.empty()) add(metadata, "dc:date", meta.date);
  if (!meta.source.empty()) add(metadata, "dc:source", meta.source);
  if (!meta.description.empty()) add(metadata, "dc:description", meta.description);
  for (const std::string& tag : meta.tags) add(metadata, "dc:subject", tag);
  add(metadata, "meta", c.modified)->SetAttribute("property", "dcterms:modified");
  add_accessibility(metadata, c);
  // EPUB 2 reading systems (older Kindles and Kobos) find the cover only through this.
  for (const PackageFile& file : files)
    if (file.properties && std::string_view(file.properties) == "cover-image") {
      XMLElement* cover = add(metadata, "meta");
      cover->SetAttribute("name", "cover");
      cover->SetAttribute("content", file.id.c_str());
    }
}

void add_item(XMLElement* manifest, const PackageFile& file) {
  XMLElement* item = add(manifest, "item");
  item->SetAttribute("id", file.id.c_str());
  item->SetAttribute("href", file.href.c_str());
  item->SetAttribute("media-type", file.media_type.c_str());
  if (file.properties) item->SetAttribute("properties", file.properties);
}

// A TOC entry's depth: at most one deeper than the entry before it (a list nests inside an
// entry), and 1 for the first.
std::size_t nesting(const ChapterFile& chapter, std::size_t open, bool has_previous) {
  const std::size_t wanted = static_cast<std::size_t>(std::max(1, chapter.depth));
  return has_previous ? std::min(wanted, open + 1) : 1;
}

enum class Kind { cover, title_page, body };

const ChapterFile* first_chapter(const PackageContents& c, Kind kind) {
  for (const ChapterFile& chapter : c.chapters)
    if (kind == Kind::cover ? chapter.cover : kind == Kind::title_page ? chapter.title_page : chapter.starts_section)
      return &chapter;
  return nullptr;
}

void add_landmark(XMLElement* list, const char* type, const std::string& text, const std::string& href) {
  XMLElement* link = add(add(list, "li"), "a", text);
  link->SetAttribute("epub:type", type);
  link->SetAttribute("href", href.c_str());
}

}  // namespace

Expected<std::string> write_opf(const Templates& templates, const PackageContents& c,
                                const std::vector<PackageFile>& files, const std::vector<SpineItem>& spine_items) {
  const std::string name = "EPUB/content.opf";
  XMLDocument doc;
  if (auto ok = parse_template(doc, templates.get(name), name); !ok) return std::unexpected(ok.error());
  auto metadata = require(doc, "metadata", name);
  auto manifest = require(doc, "manifest", name);
  auto spine = require(doc, "spine", name);
  if (!metadata || !manifest || !spine) return fail("template " + name + " needs <metadata>, <manifest> and <spine>");
  doc.RootElement()->SetAttribute("xml:lang", c.doc.meta.language.c_str());
  add_metadata(*metadata, c, files);

  for (const PackageFile& file : files) add_item(*manifest, file);
  for (const SpineItem& item : spine_items) {
    XMLElement* ref = add(*spine, "itemref");
    ref->SetAttribute("idref", item.idref.c_str());
    if (!item.linear) ref->SetAttribute("linear", "no");
  }
  return print_xml(doc);
}

Expected<std::string> write_nav(const Templates& templates, const PackageContents& c) {
  const std::string name = "EPUB/nav.xhtml";
  XMLDocument doc;
  if (auto ok = parse_template(doc, templates.get(name), name); !ok) return std::unexpected(ok.error());
  XMLElement* toc = find_element(&doc, "nav", "toc");
  XMLElement* landmarks = find_element(&doc, "nav", "landmarks");
  XMLElement* title = find_element(&doc, "title");
  XMLElement* toc_list = toc ? find_element(toc, "ol") : nullptr;
  XMLElement* landmark_list = landmarks ? find_element(landmarks, "ol") : nullptr;
  if (!toc_list || !landmark_list || !title)
    return fail("template " + name + " needs <title>, and <nav id=\"toc\"> and <nav id=\"landmarks\"> each with an <ol>");
  const std::string& lang = c.doc.meta.language;
  doc.RootElement()->SetAttribute("lang", lang.c_str());
  doc.RootElement()->SetAttribute("xml:lang", lang.c_str());
  title->SetText(label(lang, Label::contents).c_str());
  if (XMLElement* heading = find_element(toc, "h1")) heading->SetText(label(lang, Label::contents).c_str());
  if (XMLElement* heading = find_element(landmarks, "h2")) heading->SetText(label(lang, Label::landmarks).c_str());

  // Open lists, one per depth; an entry deeper than the one before opens a list in that entry.
  std::vector<XMLElement*> lists{toc_list};
  XMLElement* last_item = nullptr;
  for (const ChapterFile& chapter : c.chapters) {
    if (!chapter.starts_section) continue;
    const std::size_t depth = nesting(chapter, lists.size(), last_item != nullptr);
    if (depth > lists.size()) lists.push_back(add(last_item, "ol"));
    lists.resize(depth);
    last_item = add(lists.back(), "li");
    add(last_item, "a", chapter.title)->SetAttribute("href", chapter.href.c_str());
  }
  if (const ChapterFile* cover = first_chapter(c, Kind::cover))
    add_landmark(landmark_list, "cover", label(lang, Label::cover), cover->href);
  if (const ChapterFile* page = first_chapter(c, Kind::title_page))
    add_landmark(landmark_list, "titlepage", label(lang, Label::title_page), page->href);
  add_landmark(landmark_list, "toc", label(lang, Label::contents), "nav.xhtml#toc");
  if (const ChapterFile* start = first_chapter(c, Kind::body))
    add_landmark(landmark_list, "bodymatter", start->title, start->href);
  return print_xhtml(doc);
}

Expected<std::string> write_ncx(const Templates& templates, const PackageContents& c) {
  const std::string name = "EPUB/toc.ncx";
  XMLDocument doc;
  if (auto ok = parse_template(doc, templates.get(name), name); !ok) return std::unexpected(ok.error());
  XMLElement* nav_map = find_element(&doc, "navMap");
  XMLElement* doc_title = find_element(&doc, "docTitle");
  if (!nav_map || !doc_title) return fail("template " + name + " needs <docTitle> and <navMap>");
  doc.RootElement()->SetAttribute("xml:lang", c.doc.meta.language.c_str());
  for (XMLElement* meta = find_element(&doc, "meta"); meta; meta = meta->NextSiblingElement("meta"))
    if (meta->Attribute("name", "dtb:uid")) meta->SetAttribute("content", c.doc.meta.identifier.c_str());
  XMLElement* title_text = find_element(doc_title, "text");
  if (!title_text) title_text = add(doc_title, "text");
  title_text->SetText(c.doc.meta.title.c_str());

  int order = 0;
  std::vector<XMLElement*> parents{nav_map};
  XMLElement* last_point = nullptr;
  std::size_t deepest = 1;
  for (const ChapterFile& chapter : c.chapters) {
    if (!chapter.starts_section) continue;
    ++order;
    const std::size_t depth = nesting(chapter, parents.size(), last_point != nullptr);
    if (depth > parents.size()) parents.push_back(last_point);
    parents.resize(depth);
    deepest = std::max(deepest, depth);
    XMLElement* point = last_point = add(parents.back(), "navPoint");
    point->SetAttribute("id", ("nav-" + std::to_string(order)).c_str());
    point->SetAttribute("playOrder", order);
    add(add(point, "navLabel"), "text", chapter.title);
    add(point, "content")->SetAttribute("src", chapter.href.c_str());
  }
  for (XMLElement* meta = find_element(&doc, "meta"); meta; meta = meta->NextSiblingElement("meta"))
    if (meta->Attribute("name", "dtb:depth")) meta->SetAttribute("content", static_cast<int>(deepest));
  return print_xml(doc);
}

Expected<std::string> write_container(const Templates& templates) {
  const std::string name = "META-INF/container.xml";
  XMLDocument doc;
  if (auto ok = parse_template(doc, templates.get(name), name); !ok) return std::unexpected(ok.error());
  return print_xml(doc);
}

}  // namespace inkpack

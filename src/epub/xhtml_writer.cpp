#include "epub/xhtml_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <memory>

#include "epub/xml_printer.hpp"
#include "model/labels.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;
using tinyxml2::XMLNode;

constexpr const char* k_chapter_template = "EPUB/text/chapter.xhtml";

// An address as a valid URI reference: spaces, controls and the characters RFC 3986 excludes
// are percent-encoded (EPUBCheck rejects them, RSC-020); non-ASCII stays, as IRIs allow.
std::string encode_href(const std::string& target) {
  static constexpr std::string_view k_excluded = "\"<>\\^`{|}";
  std::string out;
  for (std::size_t i = 0; i < target.size(); ++i) {
    const auto c = static_cast<unsigned char>(target[i]);
    const bool stray_percent = c == '%' && !(i + 2 < target.size() && std::isxdigit(static_cast<unsigned char>(target[i + 1])) &&
                                             std::isxdigit(static_cast<unsigned char>(target[i + 2])));
    if (c <= 0x20 || c == 0x7F || stray_percent || k_excluded.find(static_cast<char>(c)) != std::string_view::npos) {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Writes model blocks and inlines as XHTML elements of one document.
class Renderer {
public:
  /// `language`: the section's, for the words the book writes itself (a missing image's label).
  Renderer(XMLDocument& doc, const Document& book, const std::string& language)
      : m_doc(doc), m_book(book), m_language(language) {}

  /// Pictures drawn so far that have no description of their own.
  std::size_t undescribed() const { return m_undescribed; }

  void block(const Block& block, XMLElement* parent) {
    switch (block.kind) {
      case BlockKind::paragraph:
        inlines(block.inlines, block.tight ? parent : add(parent, "p"));
        break;
      case BlockKind::heading: {
        XMLElement* h = add(parent, ("h" + std::to_string(block.level)).c_str());
        if (!block.id.empty()) h->SetAttribute("id", block.id.c_str());
        inlines(block.inlines, h);
        break;
      }
      case BlockKind::quote: children(block, add(parent, "blockquote")); break;
      case BlockKind::bullet_list: children(block, add(parent, "ul")); break;
      case BlockKind::ordered_list: {
        XMLElement* ol = add(parent, "ol");
        if (block.level != 1) ol->SetAttribute("start", block.level);
        children(block, ol);
        break;
      }
      case BlockKind::list_item: {
        XMLElement* li = add(parent, "li");
        if (block.task) {
          li->SetAttribute("class", "task");
          add(li, "span")->SetText(*block.task ? "\u2611 " : "\u2610 ");
        }
        children(block, li);
        break;
      }
      case BlockKind::code_block: code(block, parent); break;
      case BlockKind::table: table(block, add(parent, "table")); break;
      case BlockKind::table_row:
      case BlockKind::table_cell: children(block, parent); break;
      case BlockKind::thematic_break: add(parent, "hr"); break;
      case BlockKind::figure:
        if (block.embed == Embed::none) figure(block.inlines.front(), block.caption, parent);
        else player(block, parent);
        break;
      case BlockKind::notes: {
        // A <div>: MuPDF applies no style to a <section> inside the chapter's.
        XMLElement* notes = add(parent, "div");
        notes->SetAttribute("class", "notes");
        notes->SetAttribute("epub:type", "footnotes");
        notes->SetAttribute("role", "doc-endnotes");
        children(block, notes);
        break;
      }
      case BlockKind::note: note(block, parent); break;
    }
  }

private:
  XMLElement* add(XMLElement* parent, const char* name) {
    return parent->InsertEndChild(m_doc.NewElement(name))->ToElement();
  }

  void children(const Block& block, XMLElement* parent) {
    for (const Block& child : block.children) this->block(child, parent);
  }

  // Each line an element of its own, so that a line too long for the page wraps under a hanging
  // indent (book.css) instead of back at the margin, where it would read as a new statement.
  void code(const Block& block, XMLElement* parent) {
    XMLElement* code = add(add(parent, "pre"), "code");
    if (const std::string lang = css_token(block.info); !lang.empty())
      code->SetAttribute("class", ("language-" + lang).c_str());
    std::string_view text = block.text;
    if (text.ends_with('\n')) text.remove_suffix(1);
    for (std::size_t at = 0; at <= text.size();) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      XMLElement* line = add(code, "span");
      line->SetAttribute("class", "line");
      // A preserved space gives an empty line its height.
      line->SetText(end == at ? " " : std::string(text.substr(at, end - at)).c_str());
      at = end + 1;
    }
  }

  // A <div>, not pandoc's <aside>: Apple Books shows an aside only as a pop-up and leaves it out
  // of the page, where the notes must stay readable as the author's list; a <div> marked as a
  // footnote pops up all the same there (Apple's asset guide), in Kobo and in KOReader. It opens
  // with its number, the way back to the reference, as pandoc's EPUB 3 notes do.
  void note(const Block& note, XMLElement* parent) {
    XMLElement* div = add(parent, "div");
    div->SetAttribute("class", "note");
    div->SetAttribute("id", note.id.c_str());
    div->SetAttribute("epub:type", "footnote");
    div->SetAttribute("role", "doc-footnote");
    children(note, div);
    XMLElement* first = div->FirstChild() ? div->FirstChild()->ToElement() : nullptr;
    XMLNode* holder = first && std::string_view(first->Name()) == "p" ? static_cast<XMLNode*>(first) : div;
    holder->InsertFirstChild(m_doc.NewText(". "));
    XMLElement* number = m_doc.NewElement(note.info.empty() ? "span" : "a");
    number->SetAttribute("class", "note-number");
    if (!note.info.empty()) {
      number->SetAttribute("href", ("#" + note.info).c_str());
      number->SetAttribute("role", "doc-backlink");
    }
    number->SetText(note.level);
    holder->InsertFirstChild(number);
  }

  // The <a> inside the <sup>: Apple Books opens no pop-up for a link that holds an element.
  void note_ref(const Inline& ref, XMLElement* parent) {
    XMLElement* a = add(add(parent, "sup"), "a");
    a->SetAttribute("class", "noteref");
    a->SetAttribute("id", ref.id.c_str());
    a->SetAttribute("href", ("#" + ref.target).c_str());
    a->SetAttribute("epub:type", "noteref");
    a->SetAttribute("role", "doc-noteref");
    a->SetText(ref.text.c_str());
  }

  static std::string css_token(const std::string& text) {
    std::string out;
    for (char c : text)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
    return out;
  }

  void table(const Block& table, XMLElement* element) {
    XMLElement* head = nullptr;
    XMLElement* body = nullptr;
    for (const Block& row : table.children) {
      XMLElement*& group = row.header ? head : body;
      if (!group) group = add(element, row.header ? "thead" : "tbody");
      XMLElement* tr = add(group, "tr");
      for (const Block& cell : row.children) {
        XMLElement* td = add(tr, cell.header ? "th" : "td");
        if (cell.align != Align::none)
          td->SetAttribute("class", cell.align == Align::left     ? "align-left"
                                    : cell.align == Align::center ? "align-center"
                                                                  : "align-right");
        inlines(cell.inlines, td);
      }
    }
  }

  const MediaItem* media_of(const Inline& image) const {
    return image.media.empty() ? nullptr : &m_book.media.at(image.media.front());
  }

  // Layout, not content: repeated in the article, or a picture standing alone that is a few
  // pixels high (a spacer). Small images inside text (a formula, an icon) are content.
  static bool decorative(const Inline& image, const MediaItem* media, bool standing_alone) {
    constexpr int k_spacer_pixels = 24;
    return image.decorative ||
           (standing_alone && media && std::min(media->width, media->height) <= k_spacer_pixels);
  }

  void add_img(XMLElement* parent, const MediaItem& media, const std::string& alt, const char* css_class,
               bool layout = false) {
    XMLElement* img = add(parent, "img");
    if (css_class) img->SetAttribute("class", css_class);
    else if (media.transparent) img->SetAttribute("class", "transparent");
    img->SetAttribute("src", ("../" + media.href).c_str());
    // An empty alt and role="presentation": screen readers skip it, EPUBCheck and Kindle accept it.
    img->SetAttribute("alt", layout ? "" : alt.c_str());
    if (layout) img->SetAttribute("role", "presentation");
    // Intrinsic size lets a reading system lay out the page before decoding the image.
    img->SetAttribute("width", media.width);
    img->SetAttribute("height", media.height);
  }

  // A <div>, not <figure>: MuPDF 1.21 lays a <figure> inside a <section> out of order, above
  // the text that precedes it. The caption is the article's line under the picture, else the
  // image's title.
  void figure(const Inline& image, const Inlines& caption, XMLElement* parent) {
    const bool layout = decorative(image, media_of(image), true);
    if (layout && image.media.empty()) return;  // a missing divider is no loss to the reader
    XMLElement* fig = add(parent, "div");
    const auto add_caption = [&] {
      if (!caption.empty()) inlines(caption, caption_of(fig));
      else if (!image.title.empty()) caption_of(fig)->SetText(image.title.c_str());
    };
    if (!image.media.empty()) {
      const std::string alt = layout ? std::string() : description(image, caption);
      // The slices of a long image follow each other with no gap; only the first carries the
      // description, so a screen reader says it once.
      fig->SetAttribute("class", image.media.size() > 1 ? "figure slices" : "figure");
      for (std::size_t i = 0; i < image.media.size(); ++i)
        add_img(fig, m_book.media.at(image.media[i]), alt, nullptr, layout || i > 0);
      add_caption();
      return;
    }
    // The reader should see that something is missing, what it showed, and where it lives.
    const std::string& lang = m_language;
    fig->SetAttribute("class", "figure missing-image");
    const std::string given = plain_text(image.children);
    caption_of(fig)->SetText((label(lang, Label::image_missing) + (given.empty() ? "" : ": " + given)).c_str());
    XMLElement* source = add(fig, "p");
    source->SetAttribute("class", "source");
    XMLElement* holder = source;
    if (is_web_url(image.target)) {
      holder = add(source, "a");
      holder->SetAttribute("href", encode_href(image.target).c_str());
    }
    holder->SetText(image.target.c_str());
    add_caption();
  }

  // A player the book cannot play: its poster if there is one, and a line saying what it is,
  // with its title linked to where it can be played.
  void player(const Block& block, XMLElement* parent) {
    XMLElement* fig = add(parent, "div");
    fig->SetAttribute("class", "figure player");
    if (!block.inlines.empty() && !block.inlines.front().media.empty())
      add_img(fig, m_book.media.at(block.inlines.front().media.front()), description(block.inlines.front()), nullptr);
    const Label word = block.embed == Embed::video ? Label::video : block.embed == Embed::music ? Label::music : Label::audio;
    XMLElement* caption = caption_of(fig);
    caption->InsertEndChild(m_doc.NewText(label(m_language, word).c_str()));
    inlines(block.caption, caption);
  }

  XMLElement* caption_of(XMLElement* figure) {
    XMLElement* p = add(figure, "p");
    p->SetAttribute("class", "caption");
    return p;
  }

  // What a screen reader says for a picture: the source's alt text, else its caption, else
  // that it is a picture (Kindle and Ace take an empty alt as "decorative").
  std::string description(const Inline& image, const Inlines& caption = {}) {
    std::string alt = plain_text(image.children);
    if (alt.empty()) alt = image.title;
    if (alt.empty()) alt = trim(plain_text(caption));
    if (!alt.empty()) return alt;
    ++m_undescribed;
    return label(m_language, Label::image);
  }

  void inline_image(const Inline& image, XMLElement* parent) {
    const MediaItem* media = media_of(image);
    if (media) {
      const bool layout = decorative(image, media, false);
      add_img(parent, *media, layout ? std::string() : description(image),
              media->transparent ? "inline transparent" : "inline", layout);
      return;
    }
    if (image.decorative) return;
    const std::string alt = plain_text(image.children);
    XMLElement* span = add(parent, "span");
    span->SetAttribute("class", "missing-image");
    span->SetText(("[" + label(m_language, Label::image) + (alt.empty() ? "" : ": " + alt) + "]").c_str());
  }

  void inlines(const Inlines& list, XMLElement* parent) {
    for (const Inline& node : list) {
      switch (node.kind) {
        case InlineKind::text:
          if (!node.text.empty()) parent->InsertEndChild(m_doc.NewText(node.text.c_str()));
          break;
        case InlineKind::soft_break: parent->InsertEndChild(m_doc.NewText(" ")); break;
        case InlineKind::line_break: add(parent, "br"); break;
        case InlineKind::emphasis: inlines(node.children, add(parent, "em")); break;
        case InlineKind::strong: inlines(node.children, add(parent, "strong")); break;
        case InlineKind::strikethrough: inlines(node.children, add(parent, "del")); break;
        case InlineKind::underline: inlines(node.children, add(parent, "u")); break;
        case InlineKind::superscript: inlines(node.children, add(parent, "sup")); break;
        case InlineKind::subscript: inlines(node.children, add(parent, "sub")); break;
        case InlineKind::code: add(parent, "code")->SetText(node.text.c_str()); break;
        case InlineKind::link: {
          XMLElement* a = add(parent, "a");
          a->SetAttribute("href", encode_href(node.target).c_str());
          if (!node.title.empty()) a->SetAttribute("title", node.title.c_str());
          inlines(node.children, a);
          break;
        }
        case InlineKind::image: inline_image(node, parent); break;
        case InlineKind::note_ref: note_ref(node, parent); break;
      }
    }
  }

  XMLDocument& m_doc;
  const Document& m_book;
  const std::string& m_language;
  std::size_t m_undescribed = 0;
};

struct Part {
  std::unique_ptr<XMLDocument> doc;
  XMLElement* section;
  ChapterFile file;
};

// A chapter keeps its article's language in a book of several (an English article among Chinese
// ones is hyphenated, not indented, and read aloud in English).
const std::string& language_of(const Document& book, const Section& section) {
  return section.language.empty() ? book.meta.language : section.language;
}

Expected<Part> new_part(const Templates& templates, const Document& book, const Section& section,
                        std::string href, bool first) {
  Part part{std::make_unique<XMLDocument>(), nullptr, {std::move(href), section.title, first, section.depth, {}}};
  if (auto ok = parse_template(*part.doc, templates.get(k_chapter_template), k_chapter_template); !ok)
    return std::unexpected(ok.error());
  XMLElement* html = part.doc->RootElement();
  XMLElement* title = find_element(part.doc.get(), "title");
  XMLElement* body = find_element(part.doc.get(), "body");
  part.section = body ? find_element(body, "section") : nullptr;
  if (!html || !title || !part.section)
    return fail(std::string("template ") + k_chapter_template + " needs <title> and a <section> in <body>");
  const std::string& lang = language_of(book, section);
  html->SetAttribute("lang", lang.c_str());
  html->SetAttribute("xml:lang", lang.c_str());
  if (lang.starts_with("zh") || lang.starts_with("ja")) body->SetAttribute("class", "cjk");
  title->SetText(section.title.c_str());
  return part;
}

std::size_t printed_size(const tinyxml2::XMLNode* node) {
  tinyxml2::XMLPrinter printer(nullptr, true);
  node->Accept(&printer);
  return static_cast<std::size_t>(printer.CStrSize());
}

// Breaks a list or table too large for one file into consecutive ones of the same kind, so the
// file split below can fall between them. An ordered list keeps counting where it left off.
void break_up_oversized(XMLElement* section, std::size_t limit) {
  for (XMLElement* element = section->FirstChildElement(); element; element = element->NextSiblingElement()) {
    const std::string name = element->Name();
    XMLElement* rows = name == "table" ? element->FirstChildElement("tbody") : element;
    if ((name != "ul" && name != "ol" && name != "table") || !rows || printed_size(element) <= limit) continue;
    XMLDocument& doc = *element->GetDocument();
    std::size_t used = 0;
    int items = 0;
    XMLElement* target = element;
    XMLElement* target_rows = rows;
    for (XMLElement* item = rows->FirstChildElement(); item;) {
      XMLElement* next = item->NextSiblingElement();
      const std::size_t size = printed_size(item);
      if (used > 0 && used + size > limit) {
        XMLElement* continuation = doc.NewElement(name.c_str());
        section->InsertAfterChild(target, continuation);
        if (name == "ol") continuation->SetAttribute("start", element->IntAttribute("start", 1) + items);
        if (name == "table") {
          if (const XMLElement* head = element->FirstChildElement("thead"))
            continuation->InsertEndChild(head->DeepClone(&doc));
          target_rows = continuation->InsertEndChild(doc.NewElement("tbody"))->ToElement();
        } else {
          target_rows = continuation;
        }
        target = continuation;
        used = 0;
      }
      if (target_rows != rows) target_rows->InsertEndChild(item);
      used += size;
      ++items;
      item = next;
    }
    element = target;
  }
}

// Moves the section's blocks into further files wherever the current one would pass `limit`;
// never leaves a file holding only the section's heading.
Expected<void> split_parts(std::vector<Part>& parts, const Templates& templates, const Document& book,
                           const Section& section, const std::string& base, std::size_t limit) {
  break_up_oversized(parts.front().section, limit);
  std::vector<std::vector<tinyxml2::XMLNode*>> groups(1);
  std::size_t used = 0;
  std::size_t placed = 0;
  for (tinyxml2::XMLNode* node = parts.front().section->FirstChild(); node; node = node->NextSibling()) {
    const std::size_t size = printed_size(node);
    const bool heading_only = groups.size() == 1 && placed == 1;
    if (placed > 0 && !heading_only && used + size > limit) {
      groups.emplace_back();
      used = 0;
      placed = 0;
    }
    groups.back().push_back(node);
    used += size;
    ++placed;
  }
  XMLDocument& first = *parts.front().doc;
  for (std::size_t g = 1; g < groups.size(); ++g) {
    auto part = new_part(templates, book, section, base + "-" + std::to_string(g + 1) + ".xhtml", false);
    if (!part) return std::unexpected(part.error());
    for (tinyxml2::XMLNode* node : groups[g]) {
      part->section->InsertEndChild(node->DeepClone(part->doc.get()));
      first.DeleteNode(node);
    }
    parts.push_back(std::move(*part));
  }
  return {};
}

void collect_ids(const tinyxml2::XMLNode* node, const std::string& href,
                 std::map<std::string, std::string>& ids) {
  for (const auto* child = node->FirstChildElement(); child; child = child->NextSiblingElement()) {
    if (const char* id = child->Attribute("id")) ids.emplace(id, href);
    collect_ids(child, href, ids);
  }
}

void point_links(tinyxml2::XMLElement* element, const std::string& href,
                 const std::map<std::string, std::string>& ids) {
  for (auto* child = element->FirstChildElement(); child; child = child->NextSiblingElement()) {
    const char* target = child->Attribute("href");
    if (std::string_view(child->Name()) == "a" && target && target[0] == '#') {
      const auto found = ids.find(target + 1);
      if (found != ids.end() && found->second != href) {
        const std::string file = found->second.substr(found->second.rfind('/') + 1);
        child->SetAttribute("href", (file + target).c_str());
      }
    }
    point_links(child, href, ids);
  }
}

void add_line(XMLElement* parent, const char* css_class, const std::string& text) {
  XMLElement* p = parent->InsertEndChild(parent->GetDocument()->NewElement("p"))->ToElement();
  p->SetAttribute("class", css_class);
  p->SetText(text.c_str());
}

}  // namespace

Expected<ChapterFile> write_title_page(const Document& book, const Templates& templates) {
  Section page{book.meta.title, {}, {}, 1};
  auto part = new_part(templates, book, page, "text/title.xhtml", false);
  if (!part) return std::unexpected(part.error());
  const Metadata& meta = book.meta;
  const std::string& lang = meta.language;
  XMLElement* section = part->section;
  section->SetAttribute("epub:type", "titlepage");
  section->DeleteAttribute("role");  // no ARIA role matches a title page
  section->SetAttribute("class", "titlepage");
  XMLElement* h1 = section->InsertEndChild(part->doc->NewElement("h1"))->ToElement();
  h1->SetText(meta.title.c_str());
  if (!meta.authors.empty()) add_line(section, "author", join_names(meta.authors, lang));
  for (const Contributor& c : meta.contributors)
    add_line(section, "contributor", (c.label.empty() ? role_label(lang, c.role) : c.label) + " / " + c.name);
  if (!meta.publisher.empty()) add_line(section, "publisher", meta.publisher);
  if (!meta.date.empty()) add_line(section, "date", meta.date);
  if (is_web_url(meta.source)) {
    XMLElement* p = section->InsertEndChild(part->doc->NewElement("p"))->ToElement();
    p->SetAttribute("class", "source");
    XMLElement* a = p->InsertEndChild(part->doc->NewElement("a"))->ToElement();
    a->SetAttribute("href", encode_href(meta.source).c_str());
    a->SetText(label(lang, Label::original).c_str());
  } else if (!meta.source.empty()) {
    add_line(section, "source", meta.source);  // a name, not an address: nothing to link to
  }
  part->file.xhtml = print_xhtml(*part->doc);
  part->file.title_page = true;
  return std::move(part->file);
}

Expected<ChapterFile> write_cover_page(const Document& book, const Templates& templates, const std::string& image_href) {
  Section page{label(book.meta.language, Label::cover), {}, {}, 1};
  auto part = new_part(templates, book, page, "text/cover.xhtml", false);
  if (!part) return std::unexpected(part.error());
  XMLElement* section = part->section;
  section->SetAttribute("epub:type", "cover");
  section->DeleteAttribute("role");  // the image carries doc-cover
  section->SetAttribute("class", "cover");
  // In a <div>: MuPDF centres a picture only inside a block of its own.
  XMLElement* holder = section->InsertEndChild(part->doc->NewElement("div"))->ToElement();
  XMLElement* img = holder->InsertEndChild(part->doc->NewElement("img"))->ToElement();
  img->SetAttribute("src", ("../" + image_href).c_str());
  img->SetAttribute("alt", book.meta.title.c_str());
  img->SetAttribute("role", "doc-cover");
  part->file.xhtml = print_xhtml(*part->doc);
  part->file.cover = true;
  return std::move(part->file);
}

Expected<std::vector<ChapterFile>> write_chapters(const Document& book, const Templates& templates,
                                                  std::size_t split_bytes) {
  std::vector<Part> parts;
  for (std::size_t i = 0; i < book.sections.size(); ++i) {
    const Section& section = book.sections[i];
    char base[32];
    std::snprintf(base, sizeof base, "text/ch%03zu", i + 1);
    auto first = new_part(templates, book, section, std::string(base) + ".xhtml", true);
    if (!first) return std::unexpected(first.error());
    Renderer renderer(*first->doc, book, language_of(book, section));
    XMLElement* h1 = first->section->InsertEndChild(first->doc->NewElement(section.depth > 1 ? "h2" : "h1"))->ToElement();
    h1->SetAttribute("id", section.id.c_str());
    h1->SetText(section.title.c_str());
    for (const Block& block : section.blocks) renderer.block(block, first->section);
    first->file.undescribed_images = renderer.undescribed();
    std::vector<Part> section_parts;
    section_parts.push_back(std::move(*first));
    if (auto ok = split_parts(section_parts, templates, book, section, base, split_bytes); !ok)
      return std::unexpected(ok.error());
    for (Part& part : section_parts) parts.push_back(std::move(part));
  }

  std::map<std::string, std::string> ids;
  for (const Part& part : parts) collect_ids(part.doc.get(), part.file.href, ids);
  std::vector<ChapterFile> files;
  for (Part& part : parts) {
    point_links(part.doc->RootElement(), part.file.href, ids);
    part.file.xhtml = print_xhtml(*part.doc);
    files.push_back(std::move(part.file));
  }
  return files;
}

}  // namespace inkpack

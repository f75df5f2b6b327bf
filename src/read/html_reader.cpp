#include "read/html_reader.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <set>

#include "read/front_matter.hpp"
#include "read/html_code.hpp"
#include "read/media_embeds.hpp"
#include "read/raw_html.hpp"
#include "read/text_encoding.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Deeper than this, elements are read as their text: the model flattens past a few levels
// anyway, and a page nested thousands deep must not exhaust the stack.
constexpr int k_max_depth = 200;
constexpr std::size_t k_max_columns = 128;
// Gumbo's scope checks take time quadratic in nesting (100,000 levels: 26 s) and it frees its
// tree recursively; a page nested deeper than this is refused before parsing.
constexpr std::size_t k_max_page_nesting = 25'000;

using Output = std::unique_ptr<GumboOutput, void (*)(GumboOutput*)>;

Output parse(const std::string& html) {
  // Gumbo copies the stack of open elements into every parse error it records: a page leaving
  // 20,000 elements open took 3 GB and 20 s. The errors are not used; record none.
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  return Output(out, [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
}

std::string tag_name(const GumboNode* node) {
  const GumboElement& el = node->v.element;
  if (el.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(el.tag);
  GumboStringPiece original = el.original_tag;
  gumbo_tag_from_original_text(&original);
  std::string name(original.data, original.length);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

std::string attribute(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT) return {};
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? std::string(a->value) : std::string();
}

const GumboVector& children(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

bool is_element(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }

// Depth-first, without recursion: the first element `match` accepts.
template <class Match>
const GumboNode* find(const GumboNode* root, Match match) {
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (is_element(node) && match(node)) return node;
    if (!is_element(node) && node->type != GUMBO_NODE_DOCUMENT) continue;
    const GumboVector& kids = children(node);
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  return nullptr;
}

const GumboNode* by_id(const GumboNode* root, const char* id) {
  return find(root, [&](const GumboNode* n) { return attribute(n, "id") == id; });
}
const GumboNode* by_tag(const GumboNode* root, GumboTag tag) {
  return find(root, [&](const GumboNode* n) { return n->v.element.tag == tag; });
}

// The product cards WeChat's editor inserts (a film's poster, its cast, 购买): an advert in the
// article's flow, marked by WeChat's own classes rather than the author's.
bool is_product_card(const GumboNode* node) {
  const std::string classes = attribute(node, "class");
  return classes.find("js_product_container") != std::string::npos || classes.find("cps_inner") != std::string::npos;
}

bool is_hidden(const GumboNode* node) {
  if (gumbo_get_attribute(&node->v.element.attributes, "hidden") || is_product_card(node)) return true;
  std::string style = attribute(node, "style");
  std::erase(style, ' ');
  return style.find("display:none") != std::string::npos;
}

// All text below `node`, without recursion, scripts and styles left out.
std::string text_content(const GumboNode* node) {
  std::string out;
  std::vector<const GumboNode*> stack{node};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      out += n->v.text.text;
    } else if (is_element(n) && n->v.element.tag != GUMBO_TAG_SCRIPT && n->v.element.tag != GUMBO_TAG_STYLE &&
               !is_hidden(n)) {
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
    }
  }
  return out;
}

std::string collapse_space(std::string_view text) {
  std::string out;
  bool space = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(text, pos);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out.append(text, start, pos - start);
  }
  if (space && !out.empty()) out += ' ';
  return out;
}

// Elements that belong to the page, not the article. Inside an <article> (or WeChat's body) a
// <header> holds the article's own title and an <aside> its notes; only in a whole <body> are
// they the site's.
bool is_page_furniture(GumboTag tag, bool whole_page) {
  switch (tag) {
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
      return whole_page;
    case GUMBO_TAG_NAV: case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_HEAD:
      return true;
    default:
      return false;
  }
}

// Boxes a site sets around its articles, named by their class or id: adverts, sponsors,
// newsletter sign-ups and pop-ups, related or recommended posts, sharing and comments (the names
// Mozilla's Readability looks for). Whole words only: `shadow` holds no `ad`. Only boxes: a
// heading's or a paragraph's id is the author's anchor (`<h3 id="sharing">`).
bool is_site_box(const GumboNode* node) {
  switch (node->v.element.tag) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ASIDE: case GUMBO_TAG_UL: case GUMBO_TAG_INS:
    case GUMBO_TAG_IFRAME: break;
    default: return false;
  }
  static const std::set<std::string, std::less<>> k_words = {
      "ad", "ads", "advert", "advertisement", "sponsor", "sponsored", "promo", "newsletter", "subscribe",
      "subscription", "signup", "form", "modal", "popup", "related", "recommended", "recommendation",
      "yarpp", "share", "sharing", "social", "comments", "disqus", "banner", "sidebar", "widget"};
  for (const char* key : {"class", "id"}) {
    std::string words = attribute(node, key);
    for (char& c : words) c = (c == '-' || c == '_') ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t at = 0; at < words.size();) {
      const std::size_t end = std::min(words.find(' ', at), words.size());
      if (k_words.contains(std::string_view(words).substr(at, end - at))) return true;
      at = end + 1;
    }
  }
  return false;
}

// A lazily loaded image keeps its address in data-src; src is a placeholder (an SVG data URI, a
// grey pixel) or a saved page's local copy.
std::string image_source(const GumboNode* img) {
  for (const char* name : {"data-src", "data-original", "data-lazy-src"})
    if (std::string v = trim(attribute(img, name)); !v.empty()) return v;
  std::string src = trim(attribute(img, "src"));
  return src.starts_with("data:") ? std::string() : src;
}

// The value of one property in an element's inline style, lower case, spaces dropped.
std::string style_value(const GumboNode* node, std::string_view property) {
  std::string style = attribute(node, "style");
  std::erase(style, ' ');
  std::transform(style.begin(), style.end(), style.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::size_t at = style.find(property); at != std::string::npos; at = style.find(property, at + 1)) {
    const bool whole = (at == 0 || style[at - 1] == ';') && at + property.size() < style.size() &&
                       style[at + property.size()] == ':';
    if (!whole) continue;  // `background-color` is not `color`
    const std::size_t start = at + property.size() + 1;
    return style.substr(start, style.find(';', start) - start);
  }
  return {};
}

// Smaller than the text (under 15 px, 11 pt or 0.9 em) or mid grey: how pages set captions.
bool is_small_or_grey(const GumboNode* node) {
  const std::string size = style_value(node, "font-size");
  const double number = std::atof(size.c_str());
  if (number > 0 && ((size.ends_with("px") && number < 15) || (size.ends_with("pt") && number < 11) ||
                     (size.ends_with("em") && number < 0.9)))
    return true;
  const std::string colour = style_value(node, "color");
  if (colour == "gray" || colour == "grey") return true;
  int r = -1, g = -1, b = -1;
  if (colour.starts_with("rgb") && colour.find('(') != std::string::npos) {
    std::sscanf(colour.c_str() + colour.find('('), "(%d,%d,%d", &r, &g, &b);
  } else if (colour.starts_with('#') && (colour.size() == 7 || colour.size() == 4)) {
    const std::size_t digits = colour.size() == 7 ? 2 : 1;
    const auto channel = [&](std::size_t i) {
      const int value = static_cast<int>(std::strtol(colour.substr(1 + i * digits, digits).c_str(), nullptr, 16));
      return digits == 1 ? value * 17 : value;
    };
    r = channel(0), g = channel(1), b = channel(2);
  }
  return r >= 100 && r <= 200 && std::abs(r - g) <= 24 && std::abs(g - b) <= 24 && std::abs(r - b) <= 24;
}

bool is_centred(const GumboNode* node) {
  return style_value(node, "text-align") == "center" || attribute(node, "align") == "center" ||
         node->v.element.tag == GUMBO_TAG_CENTER;
}

// A block set as a page sets a caption: centred (it or its parent), all its text in small or
// grey type. A caption is a few elements; a block of more is not one (and every block is asked,
// so the walk must stay short on a page nested thousands deep).
bool is_small_print(const GumboNode* block) {
  constexpr int k_caption_nodes = 64;
  const GumboNode* parent = static_cast<const GumboNode*>(block->parent);
  if (!is_centred(block) && !(parent && is_element(parent) && is_centred(parent))) return false;
  bool any_text = false;
  int budget = k_caption_nodes;
  std::vector<std::pair<const GumboNode*, bool>> stack{{block, is_small_or_grey(block)}};
  while (!stack.empty()) {
    if (--budget < 0) return false;
    const auto [node, small] = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT) {
      if (trim(node->v.text.text).empty()) continue;
      if (!small) return false;
      any_text = true;
    } else if (is_element(node)) {
      const GumboVector& kids = node->v.element.children;
      for (unsigned i = 0; i < kids.length; ++i) {
        const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
        stack.push_back({kid, small || (is_element(kid) && is_small_or_grey(kid))});
      }
    }
  }
  return any_text;
}

// A WeChat formula's TeX (`data-formula`, on the picture or the element around it).
std::string formula_of(const GumboNode* img) {
  for (const GumboNode* node : {img, static_cast<const GumboNode*>(img->parent)}) {
    if (!node || !is_element(node)) continue;
    if (std::string tex = trim(attribute(node, "data-formula")); !tex.empty()) return tex;
  }
  return {};
}

// Whether the element's inline style sets its text bold (editors such as 135editor and 秀米 style
// titles with font-weight, not <strong>), sets it back to normal, or says nothing of weight.
std::optional<bool> declared_bold(const GumboNode* node) {
  const std::string value = style_value(node, "font-weight");
  if (value.starts_with("bold")) return true;  // bold, bolder
  if (value == "normal" || value == "lighter") return false;
  if (!value.empty() && std::isdigit(static_cast<unsigned char>(value[0]))) return std::atoi(value.c_str()) >= 600;
  return std::nullopt;
}

// Builds blocks from the body's elements: block elements end the paragraph being filled.
class Builder {
public:
  Builder(Blocks& out, bool whole_page, bool web_page) : m_out(out), m_whole_page(whole_page), m_web_page(web_page) {}

  void blocks(const GumboNode* node, int depth) {
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) block_or_inline(static_cast<const GumboNode*>(kids.data[i]), depth + 1);
  }

  void finish() { flush(); }
  bool flattened() const { return m_flattened; }

private:
  void flush() {
    while (!m_para.empty() && is_blank(m_para.back())) m_para.pop_back();
    std::size_t lead = 0;
    while (lead < m_para.size() && is_blank(m_para[lead])) ++lead;
    m_para.erase(m_para.begin(), m_para.begin() + static_cast<std::ptrdiff_t>(lead));
    if (!m_para.empty()) {
      Block p{BlockKind::paragraph};
      p.inlines = std::move(m_para);
      p.small_print = m_small_print > 0;
      m_out.push_back(std::move(p));
    }
    m_para.clear();
  }

  void block_or_inline(const GumboNode* node, int depth) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      inline_node(node, m_para, depth);
      return;
    }
    if (!is_element(node)) return;
    if (player(node)) return;
    if (is_hidden(node)) return;
    const GumboTag tag = node->v.element.tag;
    if (is_page_furniture(tag, m_whole_page) || (m_web_page && is_site_box(node)) || is_code_line_numbers(node)) return;
    if (depth > k_max_depth) {
      m_flattened = true;
      m_para.push_back(Inline::make_text(collapse_space(text_content(node))));
      return;
    }
    const std::string name = tag_name(node);
    const TagRole role = tag_role(name);
    if (role == TagRole::dropped) return;
    if (role != TagRole::block && role != TagRole::rule) {
      inline_node(node, m_para, depth);
      return;
    }
    flush();
    switch (tag) {
      case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
      case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: {
        Block h{BlockKind::heading};
        h.level = 1 + (tag - GUMBO_TAG_H1);
        inlines_of(node, h.inlines, depth);
        m_out.push_back(std::move(h));
        return;
      }
      case GUMBO_TAG_HR: m_out.push_back(Block{BlockKind::thematic_break}); return;
      case GUMBO_TAG_PRE: {
        Block code{BlockKind::code_block};
        code.text = code_text(node);
        code.info = code_language(node);
        m_out.push_back(std::move(code));
        return;
      }
      case GUMBO_TAG_BLOCKQUOTE: nested(node, BlockKind::quote, depth); return;
      case GUMBO_TAG_UL: list(node, BlockKind::bullet_list, depth); return;
      case GUMBO_TAG_OL: list(node, BlockKind::ordered_list, depth); return;
      case GUMBO_TAG_TABLE: table(node, depth); return;
      default: break;
    }
    const WeightScope weight(*this, node);
    const bool small_print = is_small_print(node);
    m_small_print += small_print;
    blocks(node, depth);
    flush();
    m_small_print -= small_print;
  }

  // A player (a voice or music card, a video) becomes its placeholder, and the player the page
  // drew beside it goes; WeChat hides the embed itself once drawn, so this comes before hiding.
  bool player(const GumboNode* node) {
    if (is_drawn_player(attribute(node, "class"))) return true;
    std::optional<Block> placeholder =
        player_placeholder(tag_name(node), [&](const char* name) { return attribute(node, name); });
    if (!placeholder) return false;
    flush();
    m_out.push_back(std::move(*placeholder));
    return true;
  }

  // A quote or list item: its own blocks, or its text when nested too deep.
  void nested(const GumboNode* node, BlockKind kind, int depth) {
    Block block{kind};
    if (++m_nesting > static_cast<int>(k_max_block_nesting)) {
      m_flattened = true;
      Builder inner(m_out, m_whole_page, m_web_page);
      inner.m_nesting = m_nesting;
      inner.blocks(node, depth);
      inner.finish();
      --m_nesting;
      return;
    }
    Builder inner(block.children, m_whole_page, m_web_page);
    inner.m_nesting = m_nesting;
    inner.blocks(node, depth);
    inner.finish();
    m_flattened = m_flattened || inner.m_flattened;
    --m_nesting;
    m_out.push_back(std::move(block));
  }

  void list(const GumboNode* node, BlockKind kind, int depth) {
    Block block{kind};
    block.level = 1;
    if (std::string start = attribute(node, "start"); !start.empty() && std::isdigit(static_cast<unsigned char>(start[0])))
      block.level = std::atoi(start.substr(0, 9).c_str());
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(kids.data[i]);
      if (!is_element(child) || child->v.element.tag != GUMBO_TAG_LI) continue;
      Blocks items;
      Builder inner(items, m_whole_page, m_web_page);
      inner.m_nesting = m_nesting;
      inner.nested(child, BlockKind::list_item, depth + 1);
      m_flattened = m_flattened || inner.m_flattened;
      for (Block& item : items) {
        if (item.kind != BlockKind::list_item) {
          Block wrapper{BlockKind::list_item};
          wrapper.children.push_back(std::move(item));
          item = std::move(wrapper);
        }
        block.children.push_back(std::move(item));
      }
    }
    if (!block.children.empty()) m_out.push_back(std::move(block));
  }

  void table(const GumboNode* node, int depth) {
    Block table{BlockKind::table};
    std::vector<const GumboNode*> rows;
    // Rows in order, through thead/tbody/tfoot, not into nested tables.
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(kids.data[i]);
      if (!is_element(child)) continue;
      if (child->v.element.tag == GUMBO_TAG_TR) rows.push_back(child);
      else if (child->v.element.tag == GUMBO_TAG_THEAD || child->v.element.tag == GUMBO_TAG_TBODY ||
               child->v.element.tag == GUMBO_TAG_TFOOT)
        for (unsigned k = 0; k < child->v.element.children.length; ++k)
          if (const auto* row = static_cast<const GumboNode*>(child->v.element.children.data[k]);
              is_element(row) && row->v.element.tag == GUMBO_TAG_TR)
            rows.push_back(row);
    }
    for (const GumboNode* row : rows) {
      Block tr{BlockKind::table_row};
      for (unsigned k = 0; k < row->v.element.children.length; ++k) {
        const auto* cell = static_cast<const GumboNode*>(row->v.element.children.data[k]);
        if (!is_element(cell) || (cell->v.element.tag != GUMBO_TAG_TD && cell->v.element.tag != GUMBO_TAG_TH)) continue;
        if (tr.children.size() == k_max_columns) {
          // No screen shows more columns (md4c stops at the same count): the rest joins the last.
          m_flattened = true;
          Inlines& last = tr.children.back().inlines;
          last.push_back(Inline::make_text(" "));
          inlines_of(cell, last, depth + 2);
          continue;
        }
        Block td{BlockKind::table_cell};
        td.header = cell->v.element.tag == GUMBO_TAG_TH;
        inlines_of(cell, td.inlines, depth + 2);
        tr.children.push_back(std::move(td));
      }
      tr.header = !tr.children.empty() && std::all_of(tr.children.begin(), tr.children.end(), [](const Block& c) { return c.header; });
      if (!tr.children.empty()) table.children.push_back(std::move(tr));
    }
    if (!table.children.empty()) m_out.push_back(std::move(table));
  }

  // Inline content of a block element (a heading, a cell): nested blocks become line breaks.
  void inlines_of(const GumboNode* node, Inlines& out, int depth) {
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) inline_node(static_cast<const GumboNode*>(kids.data[i]), out, depth + 1);
    while (!out.empty() && is_blank(out.back())) out.pop_back();
  }

  void inline_node(const GumboNode* node, Inlines& out, int depth) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      std::string text = collapse_space(node->v.text.text);
      if (text.empty()) return;
      if (text.front() == ' ' && (out.empty() || is_blank(out.back()))) text.erase(0, 1);
      if (text.empty()) return;
      if (styled_bold() && !trim(text).empty()) out.push_back({InlineKind::strong, {}, {}, {}, {Inline::make_text(std::move(text))}, {}});
      else out.push_back(Inline::make_text(std::move(text)));
      return;
    }
    if (!is_element(node)) return;
    // A player inside a paragraph ends it: the placeholder is a figure.
    if (&out == &m_para && player(node)) return;
    if (is_hidden(node) || is_page_furniture(node->v.element.tag, m_whole_page)) return;
    const std::string name = tag_name(node);
    const TagRole role = tag_role(name);
    if (role == TagRole::dropped) return;
    const WeightScope weight(*this, node);
    if (depth > k_max_depth || m_inline_nesting >= static_cast<int>(k_max_inline_nesting)) {
      m_flattened = true;
      if (std::string text = collapse_space(text_content(node)); !text.empty()) out.push_back(Inline::make_text(std::move(text)));
      return;
    }
    if (role == TagRole::line_break) {
      out.push_back({InlineKind::line_break, {}, {}, {}, {}, {}});
      return;
    }
    if (role == TagRole::image) {
      std::string src = image_source(node);
      if (src.empty()) return;
      Inline image{InlineKind::image, {}, std::move(src), attribute(node, "title"), {}, {}};
      // The TeX says more than a formula picture's alt (often 图片).
      const std::string tex = formula_of(node);
      image.formula = !tex.empty();
      if (std::string alt = image.formula ? tex : trim(attribute(node, "alt")); !alt.empty())
        image.children.push_back(Inline::make_text(alt));
      out.push_back(std::move(image));
      return;
    }
    if (role == TagRole::block || role == TagRole::rule) {
      // A block inside inline context (a <div> in a cell, a <p> in a heading): a line of its own.
      if (!out.empty() && !is_blank(out.back())) out.push_back({InlineKind::soft_break, {}, {}, {}, {}, {}});
      ++m_inline_nesting;
      for (unsigned i = 0; i < node->v.element.children.length; ++i)
        inline_node(static_cast<const GumboNode*>(node->v.element.children.data[i]), out, depth + 1);
      --m_inline_nesting;
      if (!out.empty() && !is_blank(out.back())) out.push_back({InlineKind::soft_break, {}, {}, {}, {}, {}});
      return;
    }
    Inlines* target = &out;
    Inline container;
    const bool kept = role == TagRole::inline_container;
    if (kept) {
      container.kind = inline_kind(name);
      if (container.kind == InlineKind::link) {
        container.target = trim(attribute(node, "href"));
        container.title = attribute(node, "title");
      }
      target = &container.children;
    } else if (node->v.element.tag == GUMBO_TAG_CODE) {
      out.push_back({InlineKind::code, collapse_space(text_content(node)), {}, {}, {}, {}});
      return;
    }
    const int strong = kept && container.kind == InlineKind::strong;
    ++m_inline_nesting;
    m_strong += strong;
    for (unsigned i = 0; i < node->v.element.children.length; ++i)
      inline_node(static_cast<const GumboNode*>(node->v.element.children.data[i]), *target, depth + 1);
    m_strong -= strong;
    --m_inline_nesting;
    if (!kept) return;
    // An <a> without href is a placeholder, not a link (HTML): a stray `<a/>`, which opens an
    // element that the parser carries over every paragraph after it, must not make the whole
    // article read as a list of links.
    const bool placeholder = !gumbo_get_attribute(&node->v.element.attributes, "href");
    if (container.kind == InlineKind::link && (placeholder || container.target.starts_with("javascript:"))) {
      for (Inline& child : container.children) out.push_back(std::move(child));
      return;
    }
    if (!container.children.empty() || container.kind == InlineKind::link) out.push_back(std::move(container));
  }

  // The weight an element's style gives its text, for as long as the element lasts.
  class WeightScope {
  public:
    WeightScope(Builder& b, const GumboNode* node) : m_b(b), m_set(declared_bold(node)) {
      if (m_set) m_b.m_bold.push_back(*m_set);
    }
    ~WeightScope() {
      if (m_set) m_b.m_bold.pop_back();
    }
    WeightScope(const WeightScope&) = delete;
    WeightScope& operator=(const WeightScope&) = delete;

  private:
    Builder& m_b;
    std::optional<bool> m_set;
  };

  // Text a reader sees bold, not already inside <strong>: set as strong, so that a title styled
  // bold is a bold line like any other.
  bool styled_bold() const { return !m_bold.empty() && m_bold.back() && m_strong == 0; }

  Blocks& m_out;
  std::vector<bool> m_bold;  // font-weight set by the styles of the open elements, innermost last
  int m_strong = 0;          // open <strong>/<b> elements
  bool m_whole_page;  // reading all of <body>, not an <article>: headers and footers are the site's
  bool m_web_page;    // not WeChat's: a site's boxes may sit among the paragraphs
  Inlines m_para;
  int m_small_print = 0;  // inside a block set as small print (is_small_print)
  int m_nesting = 0;
  int m_inline_nesting = 0;
  bool m_flattened = false;
};

std::string meta_content(const GumboNode* root, const char* key, const char* value) {
  const GumboNode* meta = find(root, [&](const GumboNode* n) {
    return n->v.element.tag == GUMBO_TAG_META && attribute(n, key) == value;
  });
  return meta ? trim(collapse_space(attribute(meta, "content"))) : std::string();
}

std::string element_text(const GumboNode* root, const char* id) {
  const GumboNode* node = by_id(root, id);
  return node ? trim(collapse_space(text_content(node))) : std::string();
}

// The scripts of a WeChat page: where a page fetched without running them keeps its metadata.
std::string scripts_of(const GumboNode* root) {
  std::string text;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (!is_element(n) && n->type != GUMBO_NODE_DOCUMENT) continue;
    const bool script = is_element(n) && n->v.element.tag == GUMBO_TAG_SCRIPT;
    const GumboVector& kids = children(n);
    for (unsigned i = kids.length; i-- > 0;) {
      const auto* child = static_cast<const GumboNode*>(kids.data[i]);
      if (script && child->type == GUMBO_NODE_TEXT) text += std::string(child->v.text.text) + "\n";
      else stack.push_back(child);
    }
  }
  return text;
}

// `var name = "value"`, `d.name = '…'` or `name: 123` in a script, with JavaScript's \x26 and
// HTML's &amp; undone (msg_link carries both). A plain scan: std::regex recurses once per
// character and a page's script can run to megabytes.
std::string script_value(const std::string& scripts, std::string_view name) {
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  for (std::size_t at = scripts.find(name); at != std::string::npos; at = scripts.find(name, at + 1)) {
    if ((at > 0 && is_word(scripts[at - 1])) || (at + name.size() < scripts.size() && is_word(scripts[at + name.size()])))
      continue;
    std::size_t pos = at + name.size();
    const auto skip_spaces = [&] {
      while (pos < scripts.size() && (scripts[pos] == ' ' || scripts[pos] == '\t')) ++pos;
    };
    skip_spaces();
    if (pos >= scripts.size() || (scripts[pos] != '=' && scripts[pos] != ':')) continue;
    ++pos;
    skip_spaces();
    const char quote = pos < scripts.size() && (scripts[pos] == '"' || scripts[pos] == '\'') ? scripts[pos++] : 0;
    const std::size_t start = pos;
    while (pos < scripts.size() && scripts[pos] != '\n' &&
           (quote ? scripts[pos] != quote : std::isdigit(static_cast<unsigned char>(scripts[pos]))))
      ++pos;
    if (quote && (pos >= scripts.size() || scripts[pos] != quote)) continue;
    std::string value = scripts.substr(start, pos - start);
    for (std::size_t x; (x = value.find("\\x26")) != std::string::npos;) value = value.substr(0, x) + "&" + value.substr(x + 4);
    return trim(decode_entities(value));
  }
  return {};
}

// WeChat writes the publish time as seconds (`var ct = "1700000000";`, milliseconds on some
// pages); the date a reader saw on the page is China's. Older pages also spell it out
// (`publish_time`, `#post-date`).
std::string wechat_date(const GumboNode* root, const std::string& scripts) {
  const std::string ct = script_value(scripts, "ct");
  if (ct.size() >= 9 && ct.size() <= 13 && std::all_of(ct.begin(), ct.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const long long value = std::stoll(ct);
    return utc_text((ct.size() > 11 ? value / 1000 : value) + 8 * 3600, "%Y-%m-%d");  // China time
  }
  if (std::string date = script_value(scripts, "publish_time"); !date.empty()) return date;
  return element_text(root, "post-date");
}

// How deep a page's elements nest, read from its tags alone: elements HTML closes by itself
// (p, li, td…) and void ones do not count; script and style content is skipped.
std::size_t tag_nesting(std::string_view html) {
  static constexpr std::array<std::string_view, 24> k_not_nesting = {
      "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "br", "img", "hr",
      "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"};
  std::size_t depth = 0, deepest = 0;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    if (html.compare(at, 4, "<!--") == 0) {
      at = html.find("-->", at);
      if (at == std::string_view::npos) break;
      continue;
    }
    const bool closing = at + 1 < html.size() && html[at + 1] == '/';
    std::size_t end = at + (closing ? 2 : 1);
    while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
    std::string name(html.substr(at + (closing ? 2 : 1), end - at - (closing ? 2 : 1)));
    if (name.empty()) continue;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::size_t close = html.find('>', end);
    if (close == std::string_view::npos) break;
    if (name == "script" || name == "style") {
      if (closing) continue;
      at = html.find("</", close);
      if (at == std::string_view::npos) break;
      --at;  // the loop finds this closing tag next
      continue;
    }
    if (std::find(k_not_nesting.begin(), k_not_nesting.end(), name) != k_not_nesting.end() || html[close - 1] == '/')
      continue;
    if (closing) depth -= depth > 0;
    else deepest = std::max(deepest, ++depth);
  }
  return deepest;
}

Metadata read_meta(const GumboNode* root, bool wechat) {
  Metadata meta;
  const std::string scripts = wechat ? scripts_of(root) : std::string();
  const auto first_of = [](std::initializer_list<std::string> values) {
    for (const std::string& v : values)
      if (!v.empty()) return v;
    return std::string();
  };
  // <title> often carries the site's name too; it is only the fallback (see read_html).
  meta.title = first_of({element_text(root, "activity-name"), meta_content(root, "property", "og:title"),
                         wechat ? script_value(scripts, "msg_title") : ""});
  const std::string author = first_of({element_text(root, "js_author_name"), meta_content(root, "name", "author"),
                                       meta_content(root, "property", "article:author"),
                                       meta_content(root, "property", "og:article:author")});
  if (!author.empty()) meta.authors.push_back(author);
  // The account: #js_name, #post-user on 2017 pages, `nickname` where no script has run.
  meta.publisher = wechat ? first_of({element_text(root, "js_name"), element_text(root, "post-user"),
                                      script_value(scripts, "nickname")})
                          : meta_content(root, "property", "og:site_name");
  meta.source = first_of({meta_content(root, "property", "og:url"), wechat ? script_value(scripts, "msg_link") : ""});
  if (meta.source.empty())
    if (const GumboNode* link = find(root, [](const GumboNode* n) {
          return n->v.element.tag == GUMBO_TAG_LINK && attribute(n, "rel") == "canonical";
        }))
      meta.source = trim(attribute(link, "href"));
  meta.description = meta_content(root, "property", "og:description");
  if (meta.description.empty()) meta.description = meta_content(root, "name", "description");
  meta.date = wechat ? wechat_date(root, scripts) : meta_content(root, "property", "article:published_time").substr(0, 10);
  if (const GumboNode* html = by_tag(root, GUMBO_TAG_HTML)) meta.language = attribute(html, "lang");
  return meta;
}

}  // namespace

bool looks_like_html(std::string_view bytes, const std::string& name) {
  std::string lower_name = name;
  std::transform(lower_name.begin(), lower_name.end(), lower_name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower_name.ends_with(".html") || lower_name.ends_with(".htm") || lower_name.ends_with(".xhtml")) return true;
  if (lower_name.ends_with(".md") || lower_name.ends_with(".markdown") || lower_name.ends_with(".txt")) return false;
  std::string head(bytes.substr(0, 512));
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::size_t start = head.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  return start != std::string::npos && (head.compare(start, 14, "<!doctype html") == 0 || head.compare(start, 5, "<html") == 0);
}

namespace {

Expected<void> nesting_within_bounds(std::string_view text, const std::string& source_name) {
  if (const std::size_t nesting = tag_nesting(text); nesting > k_max_page_nesting)
    return fail(source_name + ": elements nested " + std::to_string(nesting) + " deep (more than " +
                std::to_string(k_max_page_nesting) + "); no article is built like this, and reading it would take minutes");
  return {};
}

}  // namespace

Expected<Blocks> read_html_fragment(std::string_view html, const std::string& source_name) {
  if (auto bounded = nesting_within_bounds(html, source_name); !bounded) return std::unexpected(bounded.error());
  const std::string text(html);  // Gumbo's nodes point into it
  const Output output = parse(text);
  Blocks blocks;
  if (const GumboNode* body = by_tag(output->document, GUMBO_TAG_BODY)) {
    Builder builder(blocks, false, false);
    builder.blocks(body, 0);
    builder.finish();
  }
  return blocks;
}

Expected<Document> read_html(std::string_view bytes, const std::string& source_name, Diagnostics& diags) {
  // Gumbo's nodes point into the text (original tag names): it outlives the tree.
  const std::string text = article_text(bytes, source_name, diags);
  if (auto bounded = nesting_within_bounds(text, source_name); !bounded) return std::unexpected(bounded.error());
  const Output output = parse(text);
  const GumboNode* root = output->document;
  const GumboNode* wechat_body = by_id(root, "js_content");
  const GumboNode* body = wechat_body;
  for (GumboTag tag : {GUMBO_TAG_ARTICLE, GUMBO_TAG_MAIN, GUMBO_TAG_BODY})
    if (!body) body = by_tag(root, tag);

  Document doc;
  doc.meta = read_meta(root, wechat_body != nullptr);
  const std::optional<Metadata> front = read_comment_front_matter(text);
  const bool front_title = front && !front->title.empty();
  if (front_title) doc.meta.title = front->title;
  if (!body) return doc;
  Builder builder(doc.blocks, body->v.element.tag == GUMBO_TAG_BODY, wechat_body == nullptr);
  builder.blocks(body, 0);
  builder.finish();
  if (builder.flattened()) diags.warn(source_name, "quotes, lists or inline markup nested too deep were flattened");
  // The title a reader sees is the article's one `<h1>` (as `#` is in Markdown): og:title is
  // often a search engine's wording of it, and <title> adds the site's name. With several <h1>
  // (a site's name and the page's), none is; og:title, else <title>, is then. WeChat's title is
  // its #activity-name.
  std::vector<const Block*> h1s;
  for (const Block& b : doc.blocks)
    if (b.kind == BlockKind::heading && b.level == 1 && !trim(plain_text(b.inlines)).empty()) h1s.push_back(&b);
  if (!wechat_body && !front_title && h1s.size() == 1) doc.meta.title = trim(plain_text(h1s.front()->inlines));
  if (doc.meta.title.empty() && h1s.size() != 1)
    if (const GumboNode* title = by_tag(root, GUMBO_TAG_TITLE)) doc.meta.title = trim(collapse_space(text_content(title)));
  return doc;
}

}  // namespace inkpack

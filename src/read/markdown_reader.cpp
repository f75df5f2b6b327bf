#include "read/markdown_reader.hpp"

#include <md4c.h>

#include <cctype>

#include "read/footnotes.hpp"
#include "read/front_matter.hpp"
#include "read/html_reader.hpp"
#include "read/media_embeds.hpp"
#include "read/raw_html.hpp"
#include "read/source_repair.hpp"
#include "read/text_encoding.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

std::string attribute_text(const MD_ATTRIBUTE& attr) {
  std::string out;
  if (attr.text == nullptr) return out;
  for (int i = 0; attr.substr_offsets[i] < attr.size; ++i) {
    const std::string_view piece(attr.text + attr.substr_offsets[i],
                                 attr.substr_offsets[i + 1] - attr.substr_offsets[i]);
    switch (attr.substr_types[i]) {
      case MD_TEXT_ENTITY: out += decode_entities(piece); break;
      case MD_TEXT_NULLCHAR: out += "\uFFFD"; break;
      default: out += piece; break;
    }
  }
  return out;
}

// Builds the model from md4c's enter/leave/text events. Open blocks are a stack of pointers: a
// block only gains children while it is on top, so the pointers below it stay valid.
class Builder {
public:
  explicit Builder(Block& root) { m_blocks.push_back(&root); }

  void enter_block(MD_BLOCKTYPE type, void* detail) {
    m_frames.clear();
    if (type == MD_BLOCK_DOC) return;
    if (type == MD_BLOCK_HTML) {
      m_html_block.clear();
      m_in_html_block = true;
      return;
    }
    Block block;
    switch (type) {
      case MD_BLOCK_QUOTE: block.kind = BlockKind::quote; break;
      case MD_BLOCK_UL: block.kind = BlockKind::bullet_list; break;
      case MD_BLOCK_OL:
        block.kind = BlockKind::ordered_list;
        block.level = static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start);
        break;
      case MD_BLOCK_LI: {
        block.kind = BlockKind::list_item;
        const auto* li = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
        if (li->is_task) block.task = li->task_mark != ' ';
        break;
      }
      case MD_BLOCK_HR: block.kind = BlockKind::thematic_break; break;
      case MD_BLOCK_H:
        block.kind = BlockKind::heading;
        block.level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        break;
      case MD_BLOCK_CODE:
        block.kind = BlockKind::code_block;
        block.info = attribute_text(static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->lang);
        break;
      case MD_BLOCK_TABLE: block.kind = BlockKind::table; break;
      case MD_BLOCK_THEAD: m_in_table_head = true; return;
      case MD_BLOCK_TBODY: m_in_table_head = false; return;
      case MD_BLOCK_TR:
        block.kind = BlockKind::table_row;
        block.header = m_in_table_head;
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        block.kind = BlockKind::table_cell;
        block.header = type == MD_BLOCK_TH;
        switch (static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align) {
          case MD_ALIGN_LEFT: block.align = Align::left; break;
          case MD_ALIGN_CENTER: block.align = Align::center; break;
          case MD_ALIGN_RIGHT: block.align = Align::right; break;
          default: break;
        }
        break;
      default: block.kind = BlockKind::paragraph; break;
    }
    // Quotes and lists past the limit are refused, and so are the items of a refused list; an
    // item of an accepted list always gets in, so text never lands straight in a list.
    const bool container = block.kind == BlockKind::quote || block.kind == BlockKind::bullet_list ||
                           block.kind == BlockKind::ordered_list;
    const bool refused = (container && m_containers >= k_max_block_nesting) ||
                         (block.kind == BlockKind::list_item && top().kind != BlockKind::bullet_list &&
                          top().kind != BlockKind::ordered_list);
    m_pushed.push_back(!refused);
    if (refused) {
      m_flattened = true;
      return;
    }
    if (container) ++m_containers;
    top().children.push_back(std::move(block));
    m_blocks.push_back(&top().children.back());
  }

  void leave_block(MD_BLOCKTYPE type) {
    m_frames.clear();
    m_suppressed.clear();
    if (type == MD_BLOCK_DOC || type == MD_BLOCK_THEAD || type == MD_BLOCK_TBODY) return;
    if (type == MD_BLOCK_HTML) {
      m_in_html_block = false;
      read_html_block();
      return;
    }
    if (m_pushed.back()) {
      Blocks players = top().kind == BlockKind::paragraph ? take_players() : Blocks{};
      const BlockKind kind = top().kind;
      if (kind == BlockKind::quote || kind == BlockKind::bullet_list || kind == BlockKind::ordered_list)
        --m_containers;
      m_blocks.pop_back();
      for (Block& player : players) top().children.push_back(std::move(player));
    }
    m_pushed.pop_back();
  }

  /// Whether nesting past the limits in document.hpp was flattened.
  bool flattened() const { return m_flattened; }
  /// How many raw-HTML elements (script, style, iframe…) were dropped with their content.
  int dropped() const { return m_dropped; }

  void enter_span(MD_SPANTYPE type, void* detail) {
    Inline node;
    switch (type) {
      case MD_SPAN_EM: node.kind = InlineKind::emphasis; break;
      case MD_SPAN_STRONG: node.kind = InlineKind::strong; break;
      case MD_SPAN_DEL: node.kind = InlineKind::strikethrough; break;
      case MD_SPAN_U: node.kind = InlineKind::underline; break;
      case MD_SPAN_CODE: node.kind = InlineKind::code; break;
      case MD_SPAN_A: {
        const auto* a = static_cast<MD_SPAN_A_DETAIL*>(detail);
        node.kind = InlineKind::link;
        node.target = attribute_text(a->href);
        node.title = attribute_text(a->title);
        break;
      }
      case MD_SPAN_IMG: {
        const auto* img = static_cast<MD_SPAN_IMG_DETAIL*>(detail);
        node.kind = InlineKind::image;
        node.target = attribute_text(img->src);
        node.title = attribute_text(img->title);
        break;
      }
      default: node.kind = InlineKind::emphasis; break;
    }
    open_inline(std::move(node), /*html_tag=*/{});
  }

  void leave_span() {
    // Closing a Markdown span also closes raw-HTML elements left open inside it.
    while (!m_frames.empty()) {
      const bool markdown = m_frames.back().html_tag.empty();
      m_frames.pop_back();
      if (markdown) break;
    }
  }

  void text(MD_TEXTTYPE type, std::string_view text) {
    if (m_in_html_block) {
      m_html_block += text;
      return;
    }
    if (top().kind == BlockKind::code_block) {
      top().text += text;
      return;
    }
    if (!m_frames.empty() && m_frames.back().node && m_frames.back().node->kind == InlineKind::code) {
      m_frames.back().node->text += type == MD_TEXT_SOFTBR ? std::string_view(" ") : text;
      return;
    }
    switch (type) {
      case MD_TEXT_NULLCHAR: add_text("\uFFFD"); break;
      case MD_TEXT_BR: add_node({InlineKind::line_break, {}, {}, {}, {}, {}}); break;
      case MD_TEXT_SOFTBR: add_node({InlineKind::soft_break, {}, {}, {}, {}, {}}); break;
      case MD_TEXT_ENTITY: add_text(decode_entities(text)); break;
      case MD_TEXT_HTML:
        for (std::string_view piece : tokenize_html(text)) html_piece(piece, /*block_context=*/false);
        break;
      default: add_text(text); break;
    }
  }

private:
  struct Frame {
    Inline* node;          // the open container; nullptr for the block's own inline list
    Inlines* list;
    std::string html_tag;  // empty for Markdown spans and the base frame
  };

  Block& top() { return *m_blocks.back(); }

  Inlines& current_inlines() {
    if (m_frames.empty()) {
      Block& block = top();
      Inlines* list = nullptr;
      const bool is_root = m_blocks.size() == 1;
      if (!is_root && (block.kind == BlockKind::paragraph || block.kind == BlockKind::heading ||
                       block.kind == BlockKind::table_cell)) {
        list = &block.inlines;
      } else {
        // Text straight inside a list item (a tight list) or a raw-HTML block: a paragraph of
        // its own, written without <p> when tight.
        Block paragraph;
        // Items of a refused list become paragraphs of their own, not one run-on line.
        paragraph.tight = block.kind == BlockKind::list_item && m_pushed.back();
        block.children.push_back(std::move(paragraph));
        list = &block.children.back().inlines;
      }
      m_frames.push_back({nullptr, list, {}});
    }
    return *m_frames.back().list;
  }

  void add_node(Inline node) {
    if (!m_suppressed.empty()) return;
    current_inlines().push_back(std::move(node));
  }

  void add_text(std::string_view text) {
    if (!m_suppressed.empty() || text.empty()) return;
    Inlines& list = current_inlines();
    if (!list.empty() && list.back().kind == InlineKind::text)
      list.back().text += text;
    else
      list.push_back(Inline::make_text(std::string(text)));
  }

  void open_inline(Inline node, std::string html_tag) {
    Inlines& list = current_inlines();
    if (m_frames.size() > k_max_inline_nesting) {
      // Too deep: the span's content joins its parent's.
      m_frames.push_back({nullptr, &list, std::move(html_tag)});
      m_flattened = true;
      return;
    }
    list.push_back(std::move(node));
    Inline& opened = list.back();
    m_frames.push_back({&opened, &opened.children, std::move(html_tag)});
  }

  void close_html_element(const std::string& name) {
    for (std::size_t i = m_frames.size(); i-- > 0;) {
      if (m_frames[i].html_tag.empty()) return;  // never past a Markdown span: a stray close
      if (m_frames[i].html_tag == name) {
        m_frames.resize(i);
        return;
      }
    }
  }

  void html_piece(std::string_view piece, bool block_context) {
    if (piece.starts_with("<!") || piece.starts_with("<?")) return;  // comments, doctype
    const std::optional<HtmlTag> tag = parse_html_tag(piece);
    if (!m_suppressed.empty()) {
      if (tag && tag->closing && tag->name == m_suppressed) m_suppressed.clear();
      return;
    }
    if (!tag) {
      add_text(block_context ? collapse_whitespace(decode_entities(piece)) : std::string(piece));
      return;
    }
    if (!block_context && !tag->closing)
      if (std::optional<Block> player = player_placeholder(tag->name, [&](const char* name) { return tag->attribute(name); })) {
        m_players.push_back(std::move(*player));
        return;
      }
    switch (tag_role(tag->name)) {
      case TagRole::inline_container:
        if (tag->closing) {
          close_html_element(tag->name);
        } else if (!tag->self_closing) {
          Inline node;
          node.kind = inline_kind(tag->name);
          if (node.kind == InlineKind::link) {
            node.target = tag->attribute("href");
            node.title = tag->attribute("title");
          }
          open_inline(std::move(node), tag->name);
        }
        break;
      case TagRole::line_break: add_node({InlineKind::line_break, {}, {}, {}, {}, {}}); break;
      case TagRole::image: {
        Inline image;
        image.kind = InlineKind::image;
        image.target = tag->attribute("src");
        image.title = tag->attribute("title");
        if (std::string alt = tag->attribute("alt"); !alt.empty())
          image.children.push_back(Inline::make_text(std::move(alt)));
        add_node(std::move(image));
        break;
      }
      case TagRole::block:
        if (block_context) m_frames.clear();
        break;
      case TagRole::rule:
        if (block_context) {
          m_frames.clear();
          top().children.push_back(Block{BlockKind::thematic_break});
        }
        break;
      case TagRole::dropped:
        // Only a raw-HTML block drops content: inline, an unclosed <script> would swallow the
        // rest of the paragraph, and a tag named in prose ("the <button> element") is text.
        if (!block_context) {
          add_text(piece);
        } else if (!tag->closing && !tag->self_closing) {
          m_suppressed = tag->name;
          ++m_dropped;
        }
        break;
      case TagRole::unknown: add_text(piece); break;
      case TagRole::transparent: break;
    }
  }

  // A paragraph that is a player's shortcode or raw tag becomes its placeholder; the players of
  // a paragraph of text are returned, to follow it.
  Blocks take_players() {
    if (std::optional<Block> shortcode = shortcode_placeholder(plain_text(top().inlines))) {
      top().inlines.clear();
      m_players.insert(m_players.begin(), std::move(*shortcode));
    }
    Blocks players = std::move(m_players);
    m_players.clear();
    if (!players.empty() && !has_visible_content(top().inlines)) {
      top() = std::move(players.front());
      players.erase(players.begin());
    }
    return players;
  }

  static bool holds_table(std::string_view html) {
    std::string lower(html.substr(0, std::min<std::size_t>(html.size(), 256)));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("<table") != std::string::npos;
  }

  static std::string collapse_whitespace(std::string_view text) {
    std::string out;
    for (char c : text) {
      const bool space = c == ' ' || c == '\n' || c == '\t';
      if (space && !out.empty() && out.back() == ' ') continue;
      out += space ? ' ' : c;
    }
    return out;
  }

  // A table an exporter kept as HTML is read as a page's table is, cells and all: token by token
  // it would become a run of paragraphs, its bold header cells looking like titles. A player
  // (an iframe, <video>) is read as a page's is, into its placeholder.
  void read_html_block() {
    if (holds_table(m_html_block) || holds_player(m_html_block))
      if (auto blocks = read_html_fragment(m_html_block, "a table in the article"); blocks) {
        for (Block& block : *blocks) top().children.push_back(std::move(block));
        return;
      }
    for (std::string_view piece : tokenize_html(m_html_block)) {
      const bool blank = piece.find_first_not_of(" \t\n") == std::string_view::npos;
      if (blank && m_frames.empty()) continue;  // no paragraph made of indentation
      html_piece(piece, /*block_context=*/true);
    }
    m_frames.clear();
    m_suppressed.clear();
  }

  std::vector<Block*> m_blocks;
  std::vector<bool> m_pushed;  // per open Markdown block: whether it got a Block of its own
  std::size_t m_containers = 0;  // open quotes and lists
  bool m_flattened = false;
  int m_dropped = 0;             // raw HTML elements dropped with their content
  std::vector<Frame> m_frames;
  std::string m_suppressed;  // a dropped element (script, style…) whose content is skipped
  std::string m_html_block;
  bool m_in_html_block = false;
  Blocks m_players;  // placeholders of players met in the paragraph being read (place_players)
  bool m_in_table_head = false;
};

int on_enter_block(MD_BLOCKTYPE type, void* detail, void* self) {
  static_cast<Builder*>(self)->enter_block(type, detail);
  return 0;
}
int on_leave_block(MD_BLOCKTYPE type, void*, void* self) {
  static_cast<Builder*>(self)->leave_block(type);
  return 0;
}
int on_enter_span(MD_SPANTYPE type, void* detail, void* self) {
  static_cast<Builder*>(self)->enter_span(type, detail);
  return 0;
}
int on_leave_span(MD_SPANTYPE, void*, void* self) {
  static_cast<Builder*>(self)->leave_span();
  return 0;
}
int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* self) {
  static_cast<Builder*>(self)->text(type, std::string_view(text, size));
  return 0;
}

// md4c's reading of one Markdown text: the article's body, or one of its footnotes.
struct Parsed {
  Blocks blocks;
  bool flattened = false;
  int dropped = 0;
};

Parsed parse_markdown(std::string_view text) {
  Block root;
  Builder builder(root);
  MD_PARSER parser{};
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = on_enter_block;
  parser.leave_block = on_leave_block;
  parser.enter_span = on_enter_span;
  parser.leave_span = on_leave_span;
  parser.text = on_text;
  md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &builder);
  return {std::move(root.children), builder.flattened(), builder.dropped()};
}

// The footnotes go after the text, where pandoc and GitHub set them; each is a note block named
// by its label, which the notes pass numbers and links (transform/notes.hpp).
Parsed parse_with_footnotes(std::string_view text) {
  LiftedFootnotes lifted = lift_footnotes(text);
  Parsed body = parse_markdown(lifted.body);
  Block notes{BlockKind::notes};
  for (FootnoteDefinition& definition : lifted.definitions) {
    Parsed note_text = parse_markdown(definition.text);
    Block note{BlockKind::note};
    note.id = std::move(definition.label);
    note.children = std::move(note_text.blocks);
    notes.children.push_back(std::move(note));
    body.flattened = body.flattened || note_text.flattened;
    body.dropped += note_text.dropped;
  }
  if (!notes.children.empty()) body.blocks.push_back(std::move(notes));
  return body;
}

}  // namespace

Document read_markdown(std::string_view bytes, const std::string& source_name, Diagnostics& diags) {
  FrontMatter front = split_front_matter(article_text(bytes, source_name, diags), source_name, diags);
  const SourceRepair repaired = repair_export_quirks(front.body);

  Document doc;
  doc.meta = std::move(front.meta);
  Parsed parsed = parse_with_footnotes(repaired.text);
  if (parsed.dropped > 0)
    diags.warn(source_name, "raw HTML elements that a book cannot show (script, style, iframe…) were left out",
               std::to_string(parsed.dropped));
  if (parsed.flattened)
    diags.warn(source_name, "quotes, lists or inline markup nested too deep were flattened");
  doc.blocks = std::move(parsed.blocks);
  return doc;
}

}  // namespace inkpack

#pragma once
// The document model every reader fills and every writer consumes: plain data, no markup strings.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inkpack {

/// Deepest nesting of quotes and lists, and of inlines, that readers build; deeper input is
/// flattened. libxml2-based reading systems reject XHTML nested past 256 elements, and each
/// level of quote or list indents.
constexpr std::size_t k_max_block_nesting = 12;
constexpr std::size_t k_max_inline_nesting = 24;

/// Stands in for an escaped `\*` in text until the emphasis pass resolves it: md4c hands escaped asterisks on as
/// plain `*`, which the CJK emphasis pass would otherwise pair. A private-use character, so a
/// leak would show as a box, never as broken markup.
inline constexpr std::string_view k_escaped_asterisk = "\xEE\x80\x80";  // U+E000

enum class InlineKind {
  text,
  soft_break,   ///< a source line break inside a paragraph; resolved to "" or " " before writing
  line_break,   ///< a hard break: <br/>
  emphasis,
  strong,
  strikethrough,
  underline,
  superscript,
  subscript,
  code,
  link,
  image,
  note_ref,     ///< a reference to a note: `target` the note's id, `text` its number, `id` its own
};

struct Inline {
  InlineKind kind = InlineKind::text;
  std::string text;                   ///< text and code
  std::string target;                 ///< link href, image src (as written in the source)
  std::string title;
  std::vector<Inline> children;       ///< container content; an image's alt text
  std::vector<std::size_t> media;     ///< image: its files in Document::media, top to bottom
                                      ///< (a long image is cut into slices); empty if missing
  bool decorative = false;            ///< image: layout (a divider, a spacer), not content
  bool formula = false;               ///< image: a formula's picture, its TeX the alt text; part
                                      ///< of the sentence, never a figure of its own
  std::string id;                     ///< note reference: its anchor, where its note links back to

  static Inline make_text(std::string text) { return {InlineKind::text, std::move(text), {}, {}, {}, {}}; }
};
using Inlines = std::vector<Inline>;

enum class BlockKind {
  paragraph,
  heading,
  quote,
  bullet_list,
  ordered_list,
  list_item,
  code_block,
  table,
  table_row,
  table_cell,
  thematic_break,
  figure,        ///< one image standing alone; `inlines` holds the image
  notes,         ///< an article's notes, in their order: `note` blocks
  note,          ///< one note: `id` its anchor, `level` its number, `info` the anchor of its first
                 ///< reference (empty: nothing refers to it); `children` its text
};

enum class Align { none, left, center, right };

/// What a figure stands for when it is a player the book cannot play: a page's voice, music or
/// video embed, a video shortcode.
enum class Embed { none, audio, music, video };

struct Block {
  BlockKind kind = BlockKind::paragraph;
  int level = 0;                      ///< heading level; ordered list start number
  Inlines inlines;                    ///< paragraph, heading, table cell, figure
  std::vector<Block> children;        ///< quote, lists, list items, table, rows
  std::string text;                   ///< code block content
  std::string info;                   ///< code block language
  std::string id;                     ///< anchor of a heading
  Inlines caption;                    ///< figure: the line set under the image
  Embed embed = Embed::none;          ///< figure: a placeholder for a player; `inlines` holds its
                                      ///< poster (or nothing), `caption` its title, linked to it
  bool tight = false;                 ///< paragraph written without <p> (tight list item)
  bool small_print = false;           ///< paragraph of a saved page set centred in small or grey
                                      ///< type, as pages set captions
  bool header = false;                ///< table row/cell in the header
  Align align = Align::none;          ///< table cell
  std::optional<bool> task;           ///< list item of a task list: checked or not
};
using Blocks = std::vector<Block>;

/// Who named a section: the author, or inkpack for text the author left without a title.
enum class SectionRole {
  titled,   ///< under a title of the author's
  opening,  ///< the text before the article's first title
  closing,  ///< the text after its last section ended (a sign-off, notes)
  article,  ///< a whole article, named by its title: it has no titles, or it heads its sections
};

/// A chapter of the book: one XHTML file (or more if large) and one TOC entry.
struct Section {
  std::string title;
  std::string id;
  Blocks blocks;
  int depth = 1;  ///< level in the table of contents: 1, or 2+ under the section before it
  std::string language;  ///< BCP 47: its article's, in a book of several; empty: the book's
  SectionRole role = SectionRole::titled;
};

/// Someone who had a hand in the text other than writing it, with a MARC relator code
/// (edt editor, dsr designer, pht photographer, trl translator, ill illustrator, ctb other).
struct Contributor {
  std::string name;
  std::string role;
  std::string label;  ///< the article's own word for the role (版面), shown on the title page
  bool operator==(const Contributor&) const = default;
};

struct Metadata {
  std::string identifier;   ///< dc:identifier, a urn:uuid
  std::string title;
  std::vector<std::string> authors;
  std::vector<Contributor> contributors;
  std::string publisher;    ///< the WeChat account or site
  std::string language;     ///< BCP 47
  std::string source;       ///< URL of the original, if known
  std::string date;
  std::string description;
  std::vector<std::string> tags;
};

/// An embedded resource: bytes and the type sniffed from them.
struct MediaItem {
  std::string href;         ///< path inside the book, relative to the package document
  std::string media_type;
  std::string bytes;
  int width = 0;
  int height = 0;
  bool transparent = false;  ///< see through: given a light ground, legible on night themes
};

struct Document {
  Metadata meta;
  Blocks blocks;              ///< the body as read, before sectioning
  std::vector<Section> sections;
  std::vector<MediaItem> media;
};

/// Concatenated text of inlines, without markup (image alt text included).
std::string plain_text(const Inlines& inlines);

/// How many characters of text a reader sees in the blocks (code included, images not).
std::size_t visible_characters(const Blocks& blocks);

/// Whitespace-only text or a line break: nothing a reader sees by itself.
bool is_blank(const Inline& node);

/// Whether a reader would see anything: an image, or text other than whitespace.
bool has_visible_content(const Inlines& inlines);

/// A source line of a paragraph: top-level inlines [begin, end); a break sits at `end` unless it
/// is the last line. Exporters put titles, bylines and navigation on lines of their own.
struct Line {
  std::size_t begin, end;
};
std::vector<Line> lines_of(const Inlines& inlines);

/// Inlines [begin, end) of `inlines` as plain text.
std::string text_of(const Inlines& inlines, std::size_t begin, std::size_t end);

}  // namespace inkpack

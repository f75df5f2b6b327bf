#include "transform/glued_paragraphs.hpp"

#include "model/walk.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Fewer sentence-end breaks than this is no evidence of an export's shape.
constexpr int k_min_sentence_breaks = 3;
// Text wrapped by hand is at most an 80-column editor's width: 40 CJK characters a line.
constexpr std::size_t k_hand_wrapped_line = 40;

// Whether the text ends a sentence in Chinese: 。！？…； with closing quotes or brackets after.
// Latin full stops are left alone: English Markdown is wrapped by hand after them.
bool ends_sentence(std::string_view text) {
  while (!text.empty()) {
    const char32_t cp = last_code_point(text);
    std::string tail;
    append_utf8(tail, cp);
    text.remove_suffix(tail.size());
    if (cp == ' ' || cp == '\t' || is_closing_mark(cp)) continue;
    return cp == U'。' || cp == U'！' || cp == U'？' || cp == U'…' || cp == U'；';
  }
  return false;
}

char32_t first_visible(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = next_code_point(text, pos);
    if (!is_unicode_whitespace(cp)) return cp;
  }
  return 0;
}

struct Break {
  std::size_t index;       // of the soft break in the paragraph's inlines
  std::size_t line_length; // characters of the line it ends
  bool sentence_end;
  bool in_cjk_text;        // CJK text on one side at least
};

std::vector<Break> breaks_of(const Inlines& inlines) {
  std::vector<Break> breaks;
  std::size_t line_begin = 0;
  for (std::size_t i = 0; i < inlines.size(); ++i) {
    if (inlines[i].kind == InlineKind::line_break) line_begin = i + 1;
    if (inlines[i].kind != InlineKind::soft_break) continue;
    const std::string before = trim(text_of(inlines, line_begin, i));
    const std::string after = text_of(inlines, i + 1, inlines.size());
    const bool cjk = is_cjk(last_code_point(before)) || is_cjk(first_visible(after));
    breaks.push_back({i, count_code_points(before), ends_sentence(before), cjk});
    line_begin = i + 1;
  }
  return breaks;
}

// Paragraphs whose lines may be split: not those of a tight list item, written without <p>.
template <class Fn>
void for_each_paragraph(Blocks& blocks, Fn&& fn) {
  for_each_block(blocks, [&](Block& block) {
    if (block.kind == BlockKind::paragraph && !block.tight) fn(block);
  });
}

// An export glues paragraphs with long lines, most breaking after a sentence; a text wrapped by
// hand has short lines breaking anywhere. A break at the start of a line (where a title was
// cut out) says nothing.
bool looks_glued(std::vector<Section>& sections) {
  int sentence = 0, other = 0;
  std::size_t lines = 0, characters = 0;
  for (Section& section : sections)
    for_each_paragraph(section.blocks, [&](Block& paragraph) {
      for (const Break& b : breaks_of(paragraph.inlines)) {
        if (b.line_length == 0) continue;
        ++lines;
        characters += b.line_length;
        if (b.sentence_end) ++sentence;
        else if (b.in_cjk_text) ++other;
      }
    });
  return sentence >= k_min_sentence_breaks && sentence >= other && characters > k_hand_wrapped_line * lines;
}

// A bold sentence with text after it on its line: the exporter's join of two paragraphs (the
// bold one its own, as the author set it), as the line break is elsewhere.
bool after_bold_sentence(const Inlines& inlines, std::size_t i) {
  return i > 0 && inlines[i - 1].kind == InlineKind::strong && ends_sentence(plain_text(inlines[i - 1].children)) &&
         inlines[i].kind == InlineKind::text && !trim(inlines[i].text).empty();
}

Blocks split(Block& paragraph) {
  Inlines& inlines = paragraph.inlines;
  std::vector<bool> cut(inlines.size(), false);  // a paragraph ends before inlines[i]
  for (const Break& b : breaks_of(inlines)) cut[b.index] = b.sentence_end;
  for (std::size_t i = 0; i < inlines.size(); ++i) {
    if (!after_bold_sentence(inlines, i)) continue;
    cut[i] = true;
    inlines[i].text.erase(0, inlines[i].text.find_first_not_of(' '));
  }
  Blocks out;
  Block current{BlockKind::paragraph};
  for (std::size_t i = 0; i <= inlines.size(); ++i) {
    if (i == inlines.size() || cut[i]) {
      if (has_visible_content(current.inlines)) out.push_back(std::move(current));
      current = Block{BlockKind::paragraph};
    }
    // The soft break that ended the paragraph goes with it.
    if (i < inlines.size() && !(cut[i] && inlines[i].kind == InlineKind::soft_break))
      current.inlines.push_back(std::move(inlines[i]));
  }
  return out;
}

void split_in(Blocks& blocks) {
  Blocks out;
  for (Block& block : blocks) {
    if (block.kind != BlockKind::paragraph || block.tight) {
      out.push_back(std::move(block));
      continue;
    }
    for (Block& piece : split(block)) out.push_back(std::move(piece));
  }
  blocks = std::move(out);
}

}  // namespace

void split_glued_paragraphs(std::vector<Section>& sections) {
  if (!looks_glued(sections)) return;
  for (Section& section : sections) for_each_block_list(section.blocks, split_in);
}

}  // namespace inkpack

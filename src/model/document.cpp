#include "model/document.hpp"

#include "util/text.hpp"

namespace inkpack {

std::string plain_text(const Inlines& inlines) {
  std::string out;
  for (const Inline& node : inlines) {
    switch (node.kind) {
      case InlineKind::text:
      case InlineKind::code: out += node.text; break;
      case InlineKind::soft_break:
      case InlineKind::line_break: out += ' '; break;
      default: out += plain_text(node.children); break;
    }
  }
  return out;
}

std::size_t visible_characters(const Blocks& blocks) {
  std::size_t count = 0;
  for (const Block& block : blocks) {
    for (const std::string& text : {plain_text(block.inlines), block.text})
      for (std::size_t pos = 0; pos < text.size();) count += !is_unicode_whitespace(next_code_point(text, pos));
    count += visible_characters(block.children);
  }
  return count;
}

bool is_blank(const Inline& node) {
  return (node.kind == InlineKind::text && trim(node.text).empty()) || node.kind == InlineKind::soft_break ||
         node.kind == InlineKind::line_break;
}

bool has_visible_content(const Inlines& inlines) {
  for (const Inline& node : inlines) {
    if (node.kind == InlineKind::image) return true;
    if ((node.kind == InlineKind::text || node.kind == InlineKind::code) && !trim(node.text).empty())
      return true;
    if (has_visible_content(node.children)) return true;
  }
  return false;
}

std::vector<Line> lines_of(const Inlines& inlines) {
  std::vector<Line> lines;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < inlines.size(); ++i) {
    if (inlines[i].kind != InlineKind::soft_break && inlines[i].kind != InlineKind::line_break) continue;
    lines.push_back({begin, i});
    begin = i + 1;
  }
  lines.push_back({begin, inlines.size()});
  return lines;
}

std::string text_of(const Inlines& inlines, std::size_t begin, std::size_t end) {
  return plain_text(Inlines(inlines.begin() + static_cast<std::ptrdiff_t>(begin),
                            inlines.begin() + static_cast<std::ptrdiff_t>(end)));
}

}  // namespace inkpack

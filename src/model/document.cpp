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

}  // namespace inkpack

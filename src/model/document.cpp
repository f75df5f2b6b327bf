#include "model/document.hpp"

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

}  // namespace inkpack

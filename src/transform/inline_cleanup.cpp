#include <algorithm>

#include "transform/inline_passes.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

bool is_external(const std::string& target) {
  for (const char* scheme : {"http://", "https://", "mailto:", "ftp://"}) {
    const std::string_view prefix(scheme);
    if (target.size() > prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), target.begin(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
      return true;
  }
  return false;
}


// Whether a link can stay a link in the book; an anchor is rewritten to the id it now has.
bool keeps_target(Inline& link, const std::map<std::string, std::string>& anchors) {
  if (!has_visible_content(link.children)) return false;
  if (link.target.starts_with("#")) {
    const auto found = anchors.find(link.target.substr(1));
    if (found == anchors.end()) return false;
    link.target = "#" + found->second;
    return true;
  }
  return is_external(link.target);
}

// `inside_link`: a link within a kept link is unwrapped too, since HTML forbids nesting them.
void unwrap_links_in(Inlines& list, const std::map<std::string, std::string>& anchors, bool inside_link) {
  Inlines out;
  for (Inline& node : list) {
    if (node.kind != InlineKind::link) {
      unwrap_links_in(node.children, anchors, inside_link);
      out.push_back(std::move(node));
      continue;
    }
    const bool keep = !inside_link && keeps_target(node, anchors);
    unwrap_links_in(node.children, anchors, inside_link || keep);
    if (keep) {
      out.push_back(std::move(node));
      continue;
    }
    for (Inline& child : node.children) out.push_back(std::move(child));
  }
  list = std::move(out);
}

// Characters that make a line break vanish: CJK ones, and the quotes and dashes that East
// Asian text uses but Unicode classes as ambiguous width.
bool joins_without_space(char32_t cp) {
  if (is_hangul(cp)) return false;
  return is_cjk(cp) || cp == U'“' || cp == U'”' || cp == U'‘' || cp == U'’' || cp == U'…' ||
         cp == U'—' || cp == U'·';
}

void collect_leaves(Inlines& list, std::vector<Inline*>& leaves) {
  for (Inline& node : list) {
    if (node.children.empty() || node.kind == InlineKind::image)
      leaves.push_back(&node);
    else
      collect_leaves(node.children, leaves);
  }
}

void resolve_breaks_in(Inlines& list) {
  std::vector<Inline*> leaves;
  collect_leaves(list, leaves);
  const auto edge = [](const Inline* node, bool last) -> char32_t {
    if (node->kind != InlineKind::text && node->kind != InlineKind::code) return 0;
    return last ? last_code_point(node->text) : first_code_point(node->text);
  };
  // A space standing alone between two runs (`**今天** **我们**`) is an editor's stray keystroke
  // when CJK text is on both sides: Chinese sets no spaces between characters.
  const auto lone_space = [](const Inline* node) {
    return node->kind == InlineKind::text && !node->text.empty() &&
           node->text.find_first_not_of(" \t") == std::string::npos;
  };
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const bool soft_break = leaves[i]->kind == InlineKind::soft_break;
    if (!soft_break && !lone_space(leaves[i])) continue;
    const char32_t before = i > 0 ? edge(leaves[i - 1], true) : 0;
    const char32_t after = i + 1 < leaves.size() ? edge(leaves[i + 1], false) : 0;
    const bool join = joins_without_space(before) && joins_without_space(after);
    if (soft_break || join) *leaves[i] = Inline::make_text(join ? "" : " ");
  }
}

// Trims whitespace, breaks and empty text at both ends of a paragraph's inlines.
void trim_inlines(Inlines& list) {
  while (!list.empty() && is_blank(list.front())) list.erase(list.begin());
  while (!list.empty() && is_blank(list.back())) list.pop_back();
  if (!list.empty() && list.front().kind == InlineKind::text) {
    std::string& text = list.front().text;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t next = pos;
      if (!is_unicode_whitespace(next_code_point(text, next))) break;
      pos = next;
    }
    text.erase(0, pos);
  }
  if (!list.empty() && list.back().kind == InlineKind::text) {
    std::string& text = list.back().text;
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t'))
      text.pop_back();
  }
}

// An image, or bold/italic wrapping nothing but images (`**![](…)**`): the images it stands for.
std::vector<Inline> standalone_images(Inline& node) {
  if (node.kind == InlineKind::image) return {std::move(node)};
  if (node.kind != InlineKind::strong && node.kind != InlineKind::emphasis) return {};
  bool any = false;
  for (const Inline& child : node.children) {
    if (child.kind == InlineKind::image) any = true;
    else if (!is_blank(child)) return {};
  }
  if (!any) return {};
  std::vector<Inline> images;
  for (Inline& child : node.children)
    if (child.kind == InlineKind::image) images.push_back(std::move(child));
  return images;
}

Blocks lift_from_paragraph(Block& paragraph) {
  Blocks out;
  Block current;
  current.tight = paragraph.tight;
  const auto flush = [&] {
    trim_inlines(current.inlines);
    if (!current.inlines.empty()) out.push_back(std::move(current));
    current = Block{};
    current.tight = paragraph.tight;
  };
  for (Inline& node : paragraph.inlines) {
    std::vector<Inline> images = standalone_images(node);
    if (images.empty()) {
      current.inlines.push_back(std::move(node));
      continue;
    }
    flush();
    for (Inline& image : images) {
      Block figure{BlockKind::figure};
      figure.inlines.push_back(std::move(image));
      out.push_back(std::move(figure));
    }
  }
  flush();
  return out;
}

}  // namespace

void unwrap_unresolvable_links(Blocks& blocks, const std::map<std::string, std::string>& anchors) {
  for_each_inline_list(blocks, [&](Inlines& list) { unwrap_links_in(list, anchors, false); });
}

void resolve_soft_breaks(Blocks& blocks) { for_each_inline_list(blocks, resolve_breaks_in); }

void lift_figures(Blocks& blocks) {
  Blocks out;
  for (Block& block : blocks) {
    lift_figures(block.children);
    if (block.kind != BlockKind::paragraph) {
      out.push_back(std::move(block));
      continue;
    }
    for (Block& piece : lift_from_paragraph(block)) out.push_back(std::move(piece));
  }
  blocks = std::move(out);
}

}  // namespace inkpack

#include <algorithm>

#include "model/walk.hpp"
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

// The links of `list` that `keep` refuses become their text.
template <class Keep>
void unwrap_links(Inlines& list, Keep keep) {
  Inlines out;
  for (Inline& node : list) {
    if (node.kind != InlineKind::link || keep(node)) out.push_back(std::move(node));
    else for (Inline& child : node.children) out.push_back(std::move(child));
  }
  list = std::move(out);
}

// Inner lists come first; a link kept around them unwraps every link in them, since HTML
// forbids nesting links.
void unwrap_links_in(Inlines& tree, const std::map<std::string, std::string>& anchors) {
  for_each_nested_list(tree, [&](Inlines& list) {
    unwrap_links(list, [&](Inline& link) {
      if (!keeps_target(link, anchors)) return false;
      for_each_nested_list(link.children, [](Inlines& inner) { unwrap_links(inner, [](Inline&) { return false; }); });
      return true;
    });
  });
}

// Characters that make a line break vanish: CJK ones, and the quotes and dashes that East
// Asian text uses but Unicode classes as ambiguous width.
bool joins_without_space(char32_t cp) {
  if (is_hangul(cp)) return false;
  return is_cjk(cp) || cp == U'“' || cp == U'”' || cp == U'‘' || cp == U'’' || cp == U'…' ||
         cp == U'—' || cp == U'·';
}

void collect_leaves(Inlines& list, std::vector<Inline*>& leaves) {
  for_each_inline(list, [&](Inline& node) {
    if (!node.children.empty() && node.kind != InlineKind::image) return Walk::into;
    leaves.push_back(&node);
    return Walk::over;
  });
}

// Punctuation Chinese sets with no space beside it. Quotes, dashes and ellipses are Latin
// punctuation too, and some authors set spaces around quoted words (`一个 “生长型” 系统`): they
// count only as part of a CJK mark (`。” 以后`).
bool spaceless_mark(char32_t cp, char32_t other_side) {
  if (is_cjk_punctuation(cp)) return true;
  const bool shared = cp == U'“' || cp == U'”' || cp == U'‘' || cp == U'’' || cp == U'…' || cp == U'—';
  return shared && is_cjk_punctuation(other_side);
}

// One character of a paragraph's text, across its formatting: the leaf it sits in, or none
// (0) for what interrupts the text (an image, a hard break).
struct Character {
  char32_t cp;
  Inline* leaf;
  bool editable;  // text and line breaks; code is only context
};

std::vector<Character> characters_of(Inlines& list) {
  std::vector<Inline*> leaves;
  collect_leaves(list, leaves);
  std::vector<Character> out;
  for (Inline* leaf : leaves) {
    const bool text = leaf->kind == InlineKind::text;
    if (leaf->kind == InlineKind::soft_break) out.push_back({U'\n', leaf, true});
    else if (!text && leaf->kind != InlineKind::code) out.push_back({0, leaf, false});
    else
      for (std::size_t pos = 0; pos < leaf->text.size();) out.push_back({next_code_point(leaf->text, pos), leaf, text});
  }
  return out;
}

bool is_space(const Character& c) { return c.editable && (c.cp == ' ' || c.cp == '\t' || c.cp == '\n'); }

// Whether the spaces and line breaks [begin, end) vanish. A line break between two CJK
// characters is no space (CSS Text's segment-break rule, which reading systems do not all
// apply), nor is a space standing alone between two runs (`**今天** **我们**`: an editor's stray
// keystroke). No space stays beside CJK punctuation (`问题： 去年`, `短剧。 这都是`).
bool run_vanishes(const std::vector<Character>& text, std::size_t begin, std::size_t end) {
  const auto at = [&](std::size_t i) -> char32_t { return i < text.size() ? text[i].cp : 0; };
  // Punctuation inside code is the code's own: a space beside it stays.
  const auto mark = [&](std::size_t i, std::size_t other_side) {
    return i < text.size() && text[i].editable && spaceless_mark(text[i].cp, at(other_side));
  };
  const std::size_t none = text.size();
  const std::size_t before = begin > 0 ? begin - 1 : none;
  if (mark(before, begin > 1 ? begin - 2 : none) || mark(end, end + 1)) return true;
  if (!joins_without_space(at(before)) || !joins_without_space(at(end))) return false;
  const bool line_break = std::any_of(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                      text.begin() + static_cast<std::ptrdiff_t>(end),
                                      [](const Character& c) { return c.cp == '\n'; });
  const bool whole_leaf = (begin == 0 || text[begin - 1].leaf != text[begin].leaf) &&
                          (end == text.size() || text[end].leaf != text[end - 1].leaf);
  return line_break || whole_leaf;
}

void resolve_breaks_in(Inlines& list) {
  std::vector<Character> text = characters_of(list);
  std::vector<bool> keep(text.size(), true);
  for (std::size_t i = 0; i < text.size();) {
    if (!is_space(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_space(text[end])) ++end;
    if (run_vanishes(text, i, end))
      for (std::size_t k = i; k < end; ++k) keep[k] = false;
    i = end;
  }
  // Rebuilt leaf by leaf: a soft break becomes text, a space or nothing.
  std::map<Inline*, std::string> rebuilt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!text[i].editable) continue;
    std::string& out = rebuilt[text[i].leaf];
    if (!keep[i]) continue;
    if (text[i].cp == '\n') out += ' ';
    else append_utf8(out, text[i].cp);
  }
  for (auto& [leaf, out] : rebuilt) *leaf = Inline::make_text(std::move(out));
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
  if (node.kind == InlineKind::image && node.formula) return {};
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
  // Each piece is set like the paragraph it comes from.
  const auto piece = [&] {
    Block block{BlockKind::paragraph};
    block.tight = paragraph.tight;
    block.small_print = paragraph.small_print;
    return block;
  };
  Block current = piece();
  const auto flush = [&] {
    trim_inlines(current.inlines);
    if (!current.inlines.empty()) out.push_back(std::move(current));
    current = piece();
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
  for_each_inline_list(blocks, [&](Inlines& list) { unwrap_links_in(list, anchors); });
}

void resolve_soft_breaks(Blocks& blocks) { for_each_inline_list(blocks, resolve_breaks_in); }

void lift_figures(Blocks& tree) {
  for_each_block_list(tree, [](Blocks& blocks) {
    Blocks out;
    for (Block& block : blocks) {
      if (block.kind != BlockKind::paragraph) {
        out.push_back(std::move(block));
        continue;
      }
      for (Block& piece : lift_from_paragraph(block)) out.push_back(std::move(piece));
    }
    blocks = std::move(out);
  });
}

}  // namespace inkpack

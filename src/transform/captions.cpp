#include "transform/captions.hpp"

#include <regex>
#include <set>

#include "model/walk.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// A caption is a label, not prose: about two dozen CJK characters at most (50 for one that
// numbers its figure or a page's small print, which say more).
constexpr std::size_t k_short_caption = 50;
constexpr std::size_t k_long_caption = 100;

bool numbers_a_figure(const std::string& text) {
  // std::regex reads bytes: CJK characters are alternatives, never members of a [class].
  static const std::regex numbered(R"(^(图|圖|表|Fig\.?|Figure|Table)\s*([0-9]|一|二|三|四|五|六|七|八|九|十)+)",
                                   std::regex::icase);
  return std::regex_search(text, numbered);
}

// `（三）…`, `一、…`, `2. …`: the next point of a list or a heading, not a caption.
bool numbered(const std::string& text) {
  static const std::regex point(R"(^(（|\()?([0-9]|一|二|三|四|五|六|七|八|九|十){1,3}(）|\)|、|\.|．))");
  return std::regex_search(text, point);
}

// A line set wholly in bold is a label or a title the outline did not take.
bool wholly_bold(const Inlines& inlines) {
  for (const Inline& node : inlines)
    if (node.kind != InlineKind::strong && !is_blank(node)) return false;
  return true;
}

bool single_line(const Inlines& inlines) {
  for (const Inline& node : inlines)
    if (node.kind == InlineKind::line_break || node.kind == InlineKind::image) return false;
  return true;
}

bool reads_as_caption(const Block& block) {
  if (block.kind != BlockKind::paragraph || block.tight || !single_line(block.inlines)) return false;
  const std::string text = trim(plain_text(block.inlines));
  const std::size_t width = display_width(text);
  if (text.empty() || width > k_long_caption) return false;
  if (block.small_print || numbers_a_figure(text)) return true;
  const char32_t last = last_code_point(text);
  return width <= k_short_caption && !numbered(text) && !wholly_bold(block.inlines) && !is_sentence_end(last) &&
         last != U'：' && last != ':' && last != U'，' && last != U'～';
}

// A paragraph starting with a caption seen elsewhere, then a space: the caption's inlines taken
// off its front. Only plain text is split, so formatting never straddles the cut.
void split_known_caption(Block& paragraph, const std::set<std::string>& captions, Inlines& caption) {
  if (paragraph.kind != BlockKind::paragraph || paragraph.inlines.empty()) return;
  Inline& first = paragraph.inlines.front();
  if (first.kind != InlineKind::text) return;
  for (const std::string& known : captions) {
    if (!first.text.starts_with(known + " ")) continue;
    caption.push_back(Inline::make_text(known));
    first.text.erase(0, known.size() + 1);
    return;
  }
}

template <class Fn>
void each_figure_and_next(Blocks& tree, Fn&& fn) {
  for_each_block_list(tree, [&](Blocks& blocks) {
    for (std::size_t i = 0; i + 1 < blocks.size(); ++i)
      // A divider is no picture to describe, nor is a player's placeholder: the line under it is the text's.
      if (blocks[i].kind == BlockKind::figure && blocks[i].embed == Embed::none && blocks[i].caption.empty() &&
          !blocks[i].inlines.front().decorative)
        fn(blocks, i);
  });
}

}  // namespace

void attach_captions(std::vector<Section>& sections) {
  std::set<std::string> captions;
  for (Section& section : sections)
    each_figure_and_next(section.blocks, [&](Blocks& blocks, std::size_t i) {
      if (!reads_as_caption(blocks[i + 1])) return;
      blocks[i].caption = std::move(blocks[i + 1].inlines);
      blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      captions.insert(trim(plain_text(blocks[i].caption)));
    });
  for (Section& section : sections)
    each_figure_and_next(section.blocks, [&](Blocks& blocks, std::size_t i) {
      split_known_caption(blocks[i + 1], captions, blocks[i].caption);
    });
}

}  // namespace inkpack

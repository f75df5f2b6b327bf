#include "transform/extras.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string_view>

#include "model/walk.hpp"
#include "transform/exporter_banner.hpp"
#include "transform/prompts.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Words of a backup or mirror site's own notes, and of its navigation links. Kept narrow: an
// author's opening line may well say 列表 or 首页.
constexpr std::array<std::string_view, 7> k_backup_words = {
    "自动备份", "存档", "归档", "仅供查阅", "仅供学习", "学习交流", "转载自"};
constexpr std::array<std::string_view, 6> k_navigation_words = {"返回", "列表", "首页", "上一篇", "下一篇", "目录"};

// Short text is a caption, a prompt or a sign-off; the article's own paragraphs run longer.
constexpr std::size_t k_short_columns = 60;

bool contains_any(const std::string& text, auto words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.find(w) != std::string::npos; });
}

bool is_separator_text(const std::string& text) { return !has_words(text); }

// `1. `, `2、` before a link: a numbered reading list written as paragraphs.
bool is_enumerator(const std::string& text) {
  const std::string t = trim(text);
  const std::size_t digits = t.find_first_not_of("0123456789");
  return digits > 0 && digits <= 2 && digits != std::string::npos && !has_words(t.substr(digits));
}

// Every visible thing on these inlines is a link (or inside one); text between links is only
// separators. `web` reports whether all links go to http(s) addresses.
bool only_links(const Inlines& list, std::size_t begin, std::size_t end, bool& any, bool& web) {
  bool only = true;
  const auto visit = [&](const Inline& node) {
    if (node.kind == InlineKind::link) {
      any = true;
      web = web && is_web_url(node.target);
    } else if (node.kind == InlineKind::text || node.kind == InlineKind::code) {
      only = only && (is_separator_text(node.text) || (&node == &list[begin] && is_enumerator(node.text)));
    } else if (node.kind == InlineKind::image) {
      only = false;
    } else {
      return only ? Walk::into : Walk::over;
    }
    return Walk::over;  // a link's words are the link's
  };
  for (std::size_t i = begin; i < end && only; ++i) for_each_inline(list[i], visit);
  return only;
}

// `品牌推广 | 培训合作 | 商业咨询`: short labels between bars, nothing else.
bool is_label_line(const std::string& line) {
  std::string text = line;
  for (std::string_view bar : {"丨", "｜"})
    for (std::size_t at; (at = text.find(bar)) != std::string::npos;) text.replace(at, bar.size(), "|");
  if (std::count(text.begin(), text.end(), '|') < 2) return false;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t bar = text.find('|', start);
    if (bar == std::string::npos) bar = text.size();
    const std::string label = trim(text.substr(start, bar - start));
    if (label.empty() || display_width(label) > 16) return false;
    start = bar + 1;
  }
  return true;
}

bool only_images(const Inlines& list) {
  bool any = false, only = true;
  for_each_inline(list, [&](const Inline& node) {
    if (node.kind == InlineKind::image) any = true;
    else if (node.kind == InlineKind::text || node.kind == InlineKind::code) only = only && trim(node.text).empty();
    return node.kind == InlineKind::image || !only ? Walk::over : Walk::into;
  });
  return any && only;
}

enum class Kind {
  blank,     // an empty heading, a rule, an empty paragraph: a boundary the exporter left
  images,    // images and nothing else
  links,     // every line only links: navigation, recommended reading
  labels,    // a line of |-separated labels
  prompt,    // short text asking to follow, share or scan
  reading,   // the title over a reading list (往期推荐)
  contact,   // the account's contact lines (投稿邮箱：…)
  end_mark,  // the author's END
  blurb,     // a paragraph about the account, opening with a call to follow it
  chrome,    // short text of a backup site's own
  short_text,
  body,
};

bool every_line_is_contact(const Inlines& list) {
  const std::vector<Line> lines = lines_of(list);
  return std::all_of(lines.begin(), lines.end(),
                     [&](const Line& l) { return is_contact_line(trim(text_of(list, l.begin, l.end))); });
}

// 关注军渡，你会获得以下帮助：…: a long paragraph whose first clause asks to follow.
bool opens_with_call(const std::string& text) {
  std::size_t end = text.size();
  for (std::string_view mark : {"，", "。", "：", "！", ",", ":"}) end = std::min(end, text.find(mark));
  return call_of(text.substr(0, end)) != Call::none;
}

Kind kind_of_paragraph(const Inlines& list) {
  if (!has_visible_content(list)) return Kind::blank;
  if (only_images(list)) return Kind::images;
  bool all_links = true;
  bool any_link = false, web = true;
  for (const Line& line : lines_of(list)) {
    bool any = false;
    if (!only_links(list, line.begin, line.end, any, web)) all_links = false;
    any_link = any_link || any;
    const std::string text = trim(text_of(list, line.begin, line.end));
    if (is_label_line(text)) return Kind::labels;
  }
  const std::string text = trim(plain_text(list));
  // A link-only line to a page of the same site, named like navigation: the site's.
  if (all_links && any_link) return !web && contains_any(text, k_navigation_words) ? Kind::chrome : Kind::links;
  if (!has_words(text)) return Kind::blank;  // ▼, ● ● ●: a pointer or an ornament
  if (is_badge(text)) return Kind::body;      // a section's number: what follows is the author's
  if (is_end_mark(text)) return Kind::end_mark;
  if (is_reading_list_title(text)) return Kind::reading;
  if (every_line_is_contact(list)) return Kind::contact;
  if (display_width(text) >= k_short_columns * 4 / 3) return opens_with_call(text) ? Kind::blurb : Kind::body;
  if (call_of(text) != Call::none) return Kind::prompt;
  if (display_width(text) >= k_short_columns) return Kind::body;
  if (contains_any(text, k_backup_words)) return Kind::chrome;
  return Kind::short_text;
}

std::string describe(const Block& block) {
  std::string text;
  for_each_block(block, [&](const Block& b) {
    const std::string own = trim(plain_text(b.inlines));
    if (!own.empty()) text += (text.empty() ? "" : " ") + own;
  });
  return text;
}

Kind kind_of(const Block& block) {
  switch (block.kind) {
    case BlockKind::heading: {
      const std::string text = trim(plain_text(block.inlines));
      if (!has_words(text)) return Kind::blank;
      return is_reading_list_title(text) ? Kind::reading : is_end_mark(text) ? Kind::end_mark : Kind::body;
    }
    case BlockKind::quote: return exporter_banner_source(block) ? Kind::chrome : Kind::body;
    case BlockKind::thematic_break: return Kind::blank;
    case BlockKind::figure: return Kind::images;
    case BlockKind::paragraph: return kind_of_paragraph(block.inlines);
    case BlockKind::bullet_list:
    case BlockKind::ordered_list: {
      // `- END -` is a list of one item in Markdown.
      if (block.children.size() == 1 && is_end_mark(describe(block))) return Kind::end_mark;
      // A list of links is a reading list.
      for (const Block& item : block.children)
        for (const Block& para : item.children)
          if (para.kind != BlockKind::paragraph || kind_of_paragraph(para.inlines) != Kind::links) return Kind::body;
      return block.children.empty() ? Kind::blank : Kind::links;
    }
    default: return Kind::body;
  }
}

bool is_title(const Block& block) { return block.kind == BlockKind::heading && block.level == 1; }

bool is_signal(Kind k) {
  return k == Kind::links || k == Kind::labels || k == Kind::prompt || k == Kind::reading || k == Kind::contact ||
         k == Kind::end_mark;
}

// What a reader would have seen of a block, for the note that it was left out.
std::string summary(const Block& block, Kind kind) {
  const std::string text = describe(block);
  if (!text.empty()) return text;
  return kind == Kind::images ? "(images)" : "(links without text)";
}

// Whether what stands at `i` opens the end matter even with some prose after it: the author's
// END, a reading list's title, or (set apart from the article, with more end matter after it)
// a paragraph about the account that opens by asking to follow it.
bool opens_end_matter(const std::vector<Kind>& kinds, std::size_t i, bool signal_after) {
  if (kinds[i] == Kind::end_mark || kinds[i] == Kind::reading) return true;
  return kinds[i] == Kind::blurb && signal_after && i > 0 &&
         (kinds[i - 1] == Kind::blank || kinds[i - 1] == Kind::images);
}

// End matter starts at its first signal (a link list, a label line, a prompt, a reading list's
// title, a contact line, an end mark) — or at the boundary just before it — after which nothing
// reads as the article's own prose; or at an opener (opens_end_matter) followed by no more than
// a short account's bio or pitch in paragraphs. Links under a heading of the author's (参考资料,
// Further reading) are the article's.
std::size_t end_matter_start(const Blocks& blocks, const std::vector<Kind>& kinds, std::size_t from) {
  constexpr std::size_t k_longest_pitch = 400;  // characters of prose an opener may carry after it
  std::size_t start = kinds.size();
  std::size_t prose = 0;
  bool signal_after = false;
  std::size_t i = kinds.size();
  for (; i > from; --i) {
    const Kind k = kinds[i - 1];
    if (opens_end_matter(kinds, i - 1, signal_after) || (is_signal(k) && prose == 0)) {
      start = i - 1;
    } else if (k == Kind::body || k == Kind::blurb) {
      prose += visible_characters({blocks[i - 1]});
      if (blocks[i - 1].kind != BlockKind::paragraph || prose > k_longest_pitch) break;
    }
    signal_after = signal_after || is_signal(k);
  }
  if (start < kinds.size() && i > from && i == start && blocks[i - 1].kind == BlockKind::heading) return kinds.size();
  while (start < kinds.size() && start > from && kinds[start - 1] == Kind::blank) --start;
  return start;
}

// Every link in the block goes to a WeChat article: the account's list of its other posts.
bool links_to_wechat_articles(const Block& block) {
  bool any = false, all = true;
  for_each_inline(block, [&](const Inline& node) {
    if (node.kind != InlineKind::link) return;
    any = true;
    all = all && node.target.find("://mp.weixin.qq.com/s") != std::string::npos;
  });
  return any && all;
}

// An account's card closes many WeChat articles: a short name over the list of its other posts,
// its picture, and a paragraph about the account. The list is end matter already; its name and
// the one paragraph after it are the card's, not the article's.
void mark_account_card(const Blocks& blocks, std::vector<Kind>& kinds) {
  constexpr std::size_t k_longest_blurb = 400;
  std::size_t last = kinds.size();
  while (last > 0 && (kinds[last - 1] == Kind::blank || kinds[last - 1] == Kind::images)) --last;
  std::size_t list = last;
  while (list > 0 && kinds[list - 1] != Kind::links) --list;
  if (list == 0 || !links_to_wechat_articles(blocks[list - 1])) return;
  for (std::size_t i = list; i < last; ++i)
    if (kinds[i] != Kind::blank && kinds[i] != Kind::images &&
        !(i + 1 == last && count_code_points(plain_text(blocks[i].inlines)) <= k_longest_blurb))
      return;
  if (last > list) kinds[last - 1] = Kind::short_text;
  if (list >= 2 && kinds[list - 2] == Kind::short_text) kinds[list - 2] = Kind::prompt;
}

// Chrome at the top: navigation to a list page, the backup site's notes or an exporter's banner,
// a follow prompt, a link to the original — around the article's `#` title, before its first
// block. Only when something there is plainly the site's (a same-site link named like
// navigation, a backup site's words, an exporter's banner, a prompt), so a short opening of the
// author's stays.
std::size_t chrome_end(const Blocks& blocks, const std::vector<Kind>& kinds) {
  std::size_t end = 0;
  bool site = false;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const Kind k = kinds[i];
    if (k == Kind::chrome || k == Kind::prompt) site = true;
    else if (k != Kind::blank && k != Kind::links && k != Kind::reading && !is_title(blocks[i])) break;
    end = i + 1;
  }
  return site ? end : 0;
}

// Where the article's prose begins: its first paragraph that reads as body text. Above it stand
// the title, bylines, a statement, badges — and the prompts accounts set there (点击蓝字关注我们).
std::size_t opening_end(const Blocks& blocks, const std::vector<Kind>& kinds) {
  for (std::size_t i = 0; i < kinds.size(); ++i)
    if (kinds[i] == Kind::body && blocks[i].kind == BlockKind::paragraph) return i;
  return kinds.size();
}

bool is_strong_prompt(const Block& block, Kind kind) {
  return kind == Kind::prompt && call_of(describe(block)) == Call::strong;
}

}  // namespace

void mark_decorative_images(Blocks& blocks) {
  std::map<std::string, int> uses;
  for_each_image(blocks, [&](Inline& image) { ++uses[image.target]; });
  for_each_image(blocks, [&](Inline& image) { image.decorative = uses[image.target] > 1; });
}

std::vector<std::string> remove_extras(Blocks& blocks) {
  // Markdown footnotes come last only because the reader puts them there: they are the article's.
  std::optional<Block> notes;
  if (!blocks.empty() && blocks.back().kind == BlockKind::notes) {
    notes = std::move(blocks.back());
    blocks.pop_back();
  }
  std::vector<Kind> kinds;
  for (const Block& block : blocks) kinds.push_back(kind_of(block));
  mark_account_card(blocks, kinds);
  const std::size_t top_end = chrome_end(blocks, kinds);
  const std::size_t tail = std::max(top_end, end_matter_start(blocks, kinds, top_end));
  const std::size_t opening = opening_end(blocks, kinds);

  std::vector<std::string> removed;
  Blocks kept;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const bool extra = (i < top_end && !is_title(blocks[i])) || i >= tail ||
                       (i < opening && is_strong_prompt(blocks[i], kinds[i]));
    if (!extra) {
      kept.push_back(std::move(blocks[i]));
    } else if (kinds[i] != Kind::blank) {
      removed.push_back(summary(blocks[i], kinds[i]));
    }
  }
  // A boundary left at the end by the removal would read as the start of a closing part.
  while (!kept.empty() && kind_of(kept.back()) == Kind::blank) kept.pop_back();
  if (notes) kept.push_back(std::move(*notes));
  blocks = std::move(kept);
  return removed;
}

}  // namespace inkpack

#include "transform/bylines.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <string_view>

#include "model/walk.hpp"
#include "transform/exporter_banner.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Bylines sit near the top, though some accounts put them after an opening quote or summary
// (seen: 文 | 栩睿 thirty blocks down); a line only counts when it is nothing but credits.
constexpr std::size_t k_opening_blocks = 40;
constexpr std::size_t k_longest_name = 24;  // display columns
// Longer lines are prose; the regular expressions below must never see a long one either
// (libstdc++'s matcher recurses once per character).
constexpr std::size_t k_longest_byline = 160;  // bytes

struct RoleWord {
  std::string_view word;
  std::string_view role;  // MARC relator; "pbl" goes to dc:publisher
};
// Longer words first, so 责任编辑 is not read as 编辑 after 责任.
constexpr RoleWord k_roles[] = {
    {"责任编辑", "edt"}, {"作者", "aut"}, {"撰文", "aut"}, {"主笔", "aut"}, {"文字", "aut"},
    {"笔者", "aut"},    {"观点", "ctb"}, {"策划", "ctb"}, {"统筹", "ctb"}, {"口述", "ctb"},
    {"责编", "edt"},    {"编辑", "edt"}, {"主编", "edt"}, {"审校", "edt"}, {"校对", "edt"},
    {"整理", "edt"},    {"版面", "dsr"}, {"排版", "dsr"}, {"美编", "dsr"}, {"设计", "dsr"},
    {"视觉", "dsr"},    {"摄影", "pht"}, {"图片", "pht"}, {"配图", "pht"}, {"编译", "trl"},
    {"翻译", "trl"},    {"插画", "ill"}, {"插图", "ill"}, {"来源", "pbl"}, {"出品", "pbl"},
    {"文", "aut"},      {"图", "pht"},   {"译", "trl"},
};

struct Credit {
  std::string_view label;
  std::string_view role;
  std::string name;
};

bool is_separator(char32_t cp) { return std::u32string_view(U"/／:：|丨｜").find(cp) != std::u32string_view::npos; }

// A role word at `pos` followed by a separator; returns where the name starts.
std::optional<std::pair<const RoleWord*, std::size_t>> role_at(const std::string& text, std::size_t pos) {
  for (const RoleWord& r : k_roles) {
    if (text.compare(pos, r.word.size(), r.word) != 0) continue;
    std::size_t at = pos + r.word.size();
    while (at < text.size() && text[at] == ' ') ++at;
    std::size_t after = at;
    if (at < text.size() && is_separator(next_code_point(text, after))) return std::pair{&r, after};
  }
  return std::nullopt;
}

// A caption (图：1980年的深圳, 来源：网络) has the shape of a credit; a lone one only counts
// with a role word of two or more characters, or a short name without digits.
bool plausible(const std::vector<Credit>& credits) {
  if (credits.size() != 1) return true;
  const Credit& c = credits.front();
  const bool weak = count_code_points(c.label) == 1 || c.role == "pbl";
  return !weak || (display_width(c.name) <= 8 &&
                   std::none_of(c.name.begin(), c.name.end(), [](char ch) { return ch >= '0' && ch <= '9'; }));
}

// `作者：甲；美编：乙`: a list mark ends a name, and a role word may follow it.
constexpr std::u32string_view k_list_marks = U"；;，,、";

bool after_list_mark(const std::string& text, std::size_t pos) {
  return pos > 0 && k_list_marks.find(last_code_point(std::string_view(text).substr(0, pos))) != std::u32string_view::npos;
}

std::string without_list_marks(std::string name) {
  while (!name.empty() && k_list_marks.find(last_code_point(name)) != std::u32string_view::npos) {
    std::size_t pos = name.size();
    while (pos > 0 && (static_cast<unsigned char>(name[pos - 1]) & 0xC0) == 0x80) --pos;
    name.resize(pos - 1);
  }
  return trim(name);
}

// `观点 / 甲 主笔 / 乙`: the whole line is role words with names, nothing else. Roles sharing a
// name (`文/图：甲`) each get it.
std::vector<Credit> chinese_byline(const std::string& text) {
  std::vector<Credit> credits;
  std::size_t name_start = 0, unnamed = 0;  // credits[unnamed..] wait for the next name
  const auto close_name = [&](std::size_t end, bool role_follows) {
    if (credits.empty()) return true;
    const std::string name = without_list_marks(text.substr(name_start, end - name_start));
    if (name.empty()) return role_follows;
    if (display_width(name) > k_longest_name) return false;
    for (; unnamed < credits.size(); ++unnamed) credits[unnamed].name = name;
    return true;
  };
  for (std::size_t pos = 0; pos < text.size();) {
    const bool word_start = pos == 0 || text[pos - 1] == ' ' || pos == name_start || after_list_mark(text, pos);
    if (auto found = word_start ? role_at(text, pos) : std::nullopt) {
      if (!close_name(pos, true)) return {};
      credits.push_back({found->first->word, found->first->role, {}});
      name_start = pos = found->second;
      continue;
    }
    if (credits.empty()) return {};  // the line must open with a role word
    next_code_point(text, pos);
  }
  if (!close_name(text.size(), false) || !plausible(credits)) return {};
  return credits;
}

// `By Jane Doe`, `By Jane Doe and John Roe`.
std::vector<Credit> english_byline(const std::string& text) {
  if (text.size() > k_longest_byline) return {};
  static const std::regex k_by(R"(^[Bb]y\s+([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}(?:(?:,\s*|\s+and\s+)[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})*)$)");
  std::smatch m;
  if (!std::regex_match(text, m, k_by)) return {};
  std::vector<Credit> credits;
  static const std::regex k_joiner(R"(\s*,\s*|\s+and\s+)");
  const std::string names = m[1];
  for (std::sregex_token_iterator it(names.begin(), names.end(), k_joiner, -1), end; it != end; ++it)
    credits.push_back({"By", "aut", it->str()});
  return credits;
}

// `这是 X 的 第N篇 原创文章` names the account.
std::optional<std::string> account_line(const std::string& text) {
  if (text.size() > k_longest_byline) return std::nullopt;
  static const std::regex k_account(R"(^这是\s*(.+?)\s*的\s*第\s*[0-9]+\s*篇\s*原创文章\s*[。！!]?$)");
  std::smatch m;
  if (!std::regex_match(text, m, k_account)) return std::nullopt;
  std::string name = trim(m[1].str());
  if (name.ends_with("公众号") && name.size() > std::string_view("公众号").size())
    name.resize(name.size() - std::string_view("公众号").size());
  return trim(name);
}

std::string line_text(const Inlines& list, const Line& line) {
  // Stray emphasis markers exporters leave around bylines go; no-break spaces become spaces.
  const std::string raw = text_of(list, line.begin, line.end);
  std::string text;
  for (std::size_t pos = 0; pos < raw.size();) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(raw, pos);
    if (cp == 0xA0) text += ' ';
    else if (cp != '*') text.append(raw, start, pos - start);
  }
  return trim(text);
}

void apply(Metadata& meta, const std::vector<Credit>& credits, bool had_authors) {
  for (const Credit& c : credits) {
    if (c.role == "aut") {
      if (!had_authors && std::find(meta.authors.begin(), meta.authors.end(), c.name) == meta.authors.end())
        meta.authors.push_back(c.name);
    } else if (c.role == "pbl") {
      if (meta.publisher.empty()) meta.publisher = c.name;
    } else {
      Contributor contributor{c.name, std::string(c.role), std::string(c.label)};
      if (std::find(meta.contributors.begin(), meta.contributors.end(), contributor) == meta.contributors.end())
        meta.contributors.push_back(std::move(contributor));
    }
  }
}

// Takes byline lines out of a paragraph; true if any was found.
bool read_paragraph(Block& paragraph, Metadata& meta, bool had_authors, bool keep) {
  Inlines& list = paragraph.inlines;
  std::vector<Line> lines = lines_of(list);
  bool found = false;
  for (std::size_t li = lines.size(); li-- > 0;) {
    const std::string text = line_text(list, lines[li]);
    std::vector<Credit> credits = chinese_byline(text);
    if (credits.empty()) credits = english_byline(text);
    if (credits.empty()) {
      const auto account = account_line(text);
      if (!account) continue;
      if (meta.publisher.empty()) meta.publisher = *account;
    }
    apply(meta, credits, had_authors);
    found = true;
    if (keep) continue;
    // The line and the break before it (or after it, for the first line).
    const std::size_t begin = li > 0 ? lines[li - 1].end : lines[li].begin;
    const std::size_t end = li > 0 ? lines[li].end : std::min(list.size(), lines[li].end + 1);
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(begin), list.begin() + static_cast<std::ptrdiff_t>(end));
    lines = lines_of(list);
  }
  return found;
}

std::string bare_title(std::string text) {
  std::erase_if(text, [](char c) { return c == ' ' || c == '*'; });
  for (std::string_view mark : {"《", "》", "“", "”", "\""})
    for (std::size_t at; (at = text.find(mark)) != std::string::npos;) text.erase(at, mark.size());
  return text;
}

void find_source(const Inlines& list, const std::string& title, std::string& source) {
  for_each_inline(list, [&](const Inline& node) {
    if (!source.empty()) return Walk::over;
    if (node.kind == InlineKind::link && node.target.find("://mp.weixin.qq.com/") != std::string::npos &&
        bare_title(plain_text(node.children)) == title)
      source = node.target;
    return Walk::into;
  });
}

}  // namespace

void read_bylines(Document& doc, bool keep) {
  Metadata& meta = doc.meta;
  const bool had_authors = !meta.authors.empty();
  const std::size_t opening = std::min(doc.blocks.size(), k_opening_blocks);
  std::string title = meta.title;
  for (std::size_t i = 0; i < opening && title.empty(); ++i)
    if (doc.blocks[i].kind == BlockKind::heading && doc.blocks[i].level == 1) title = plain_text(doc.blocks[i].inlines);
  title = bare_title(title);

  std::vector<bool> emptied(opening, false);
  for (std::size_t i = 0; i < opening; ++i) {
    Block& block = doc.blocks[i];
    if (meta.source.empty())
      if (std::optional<std::string> source = exporter_banner_source(block)) meta.source = *source;
    if (block.kind != BlockKind::paragraph) continue;
    if (!title.empty() && meta.source.empty()) find_source(block.inlines, title, meta.source);
    if (read_paragraph(block, meta, had_authors, keep)) emptied[i] = !has_visible_content(block.inlines);
  }
  for (std::size_t i = opening; i-- > 0;)
    if (emptied[i]) doc.blocks.erase(doc.blocks.begin() + static_cast<std::ptrdiff_t>(i));
}

}  // namespace inkpack

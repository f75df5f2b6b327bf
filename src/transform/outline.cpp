#include "transform/outline.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "util/text.hpp"

namespace inkpack {
namespace {

struct Series {
  std::vector<std::size_t> members;  // candidate indices, in article order
};

// Numbers that run 1, 2, 3… (a restart at 1 counts: items under groups): the author numbered
// these lines as one list of titles, so their wording does not decide.
bool numbers_run(const std::vector<Candidate>& all, const std::vector<std::size_t>& members) {
  if (members.size() < 2 || all[members.front()].number > 2) return false;
  std::size_t steps = 0;
  for (std::size_t i = 1; i < members.size(); ++i) {
    const int prev = all[members[i - 1]].number, value = all[members[i]].number;
    if (value == prev + 1 || value == 1) ++steps;
  }
  return steps * 10 >= (members.size() - 1) * 7;
}

bool restarts(const std::vector<Candidate>& all, const std::vector<std::size_t>& members) {
  for (std::size_t i = 1; i < members.size(); ++i)
    if (all[members[i]].number <= all[members[i - 1]].number) return true;
  return false;
}

std::map<std::string, Series> group(const std::vector<Candidate>& all, const std::vector<bool>& left_out) {
  std::map<std::string, Series> series;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (!left_out[i]) series[series_of(all[i])].members.push_back(i);
  return series;
}

// Characters of text a section has at least, in an article of some length; less is a line
// between two titles or a footer's card.
constexpr std::size_t k_section_body = 100;

struct Chooser {
  const std::vector<Candidate>& all;
  std::size_t length;  // how much body (text and pictures) there is in all
  OutlineChoice out;
  // Bold lines that read as names, each just below a divider image or a number badge: the
  // author's own section breaks, whatever their numbering.
  Series m_below_mark;

  // Bold words used three times or more label parts of sections; titles are not repeated.
  std::vector<bool> m_label;
  // Per candidate, the next one that may be a title (all.size(): none), and the last candidate
  // with a section's worth of text below it: computed once, so that the rules stay linear.
  std::vector<std::size_t> m_next_title;
  static constexpr std::size_t k_no_footer = SIZE_MAX;
  std::size_t m_last_section = 0;

  void measure_sections() {
    m_next_title.assign(all.size(), all.size());
    for (std::size_t i = all.size(); i-- > 1;) {
      const bool prose = all[i].markup == Candidate::Markup::bold && all[i].form != Form::name && !all[i].short_sentence;
      m_next_title[i - 1] = prose ? m_next_title[i] : i;
    }
    // Without one, the opening text is the last section's worth, if it is one; an article of
    // short sections throughout has no footer.
    m_last_section = all.size();
    for (std::size_t i = all.size(); i-- > 0;)
      if (body_after(i) >= section_body()) {
        m_last_section = i;
        return;
      }
    if (all.empty() || all.front().position < section_body()) m_last_section = k_no_footer;
  }

  // What a label says, however it goes on: `示例：数据源扩展` is the label 示例 with its value.
  static std::string label_words(const std::string& text) {
    for (std::string_view colon : {"：", ":"})
      if (const std::size_t at = text.find(colon); at != std::string::npos && at > 0 && at + colon.size() < text.size())
        return text.substr(0, at);
    return text;
  }

  // Three or more bold lines stacked with no text between them are a tagline or a verse
  // (全文约 5000 字 / 页面看起来很长 / 是因为评论很多), not titles of empty sections.
  std::vector<bool> m_stacked;

  void find_stacks() {
    constexpr std::size_t k_least = 3;
    m_stacked.assign(all.size(), false);
    for (std::size_t i = 0; i < all.size();) {
      std::size_t end = i;
      while (end < all.size() && all[end].markup == Candidate::Markup::bold && body_after(end) == 0) ++end;
      if (end < all.size() && all[end].markup == Candidate::Markup::bold) ++end;  // the stack's last line
      if (end - i >= k_least) std::fill(m_stacked.begin() + static_cast<std::ptrdiff_t>(i), m_stacked.begin() + static_cast<std::ptrdiff_t>(end), true);
      i = std::max(end, i + 1);
    }
  }

  // Plain lines (not bold) one after another with hardly any text between them are a table of
  // contents at the top, not titles; one alone may head its first part directly.
  std::vector<bool> plain_without_text() {
    std::vector<bool> out_of_series(all.size());
    const auto listed = [&](std::size_t i) { return all[i].plain && body_after(i) < section_body(); };
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].plain && ((listed(i) && i + 1 < all.size() && all[i + 1].plain) || (i > 0 && listed(i - 1)))) {
        out_of_series[i] = true;
        out.why[i] = "not a title: a plain line with hardly any text after it (a table of contents)";
      }
    return out_of_series;
  }

  void find_labels() {
    constexpr int k_label_uses = 3;
    std::map<std::string, int> uses;
    for (const Candidate& c : all)
      if (c.markup == Candidate::Markup::bold) ++uses[label_words(c.text)];
    m_label.resize(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
      m_label[i] = all[i].markup == Candidate::Markup::bold && uses[label_words(all[i].text)] >= k_label_uses;
  }

  void find_below_mark() {
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].markup == Candidate::Markup::bold && all[i].below_mark && all[i].reads_as_title() &&
          !m_label[i])
        m_below_mark.members.push_back(i);
  }

  void take(std::size_t i, int depth, std::string why) {
    if (m_label[i]) {
      out.why[i] = "not a title: the same words set bold again and again (理论补充, 优势): a label";
      return;
    }
    out.depth[i] = depth;
    out.why[i] = std::move(why);
  }

  // A series the author plainly meant as titles: a heading level used at least twice, or bold
  // lines numbered 1, 2, 3… or marked alike (▍ 前言, ▍ 后记). A heading used once (a footer's
  // recommended title, a byline set as <h2>) is not an outline by itself.
  bool strong(const Series& s) const {
    const Candidate& first = all[s.members.front()];
    if (s.members.size() < 2) return false;
    if (first.markup == Candidate::Markup::heading) return true;
    if (first.markup == Candidate::Markup::badge) return numbers_run(all, s.members);
    const auto names = std::count_if(s.members.begin(), s.members.end(), [&](std::size_t m) { return !all[m].statement; });
    if (names < 2) return false;  // numbered statements are a list of points
    return !first.decoration.empty() || (!first.number_style.empty() && numbers_run(all, s.members));
  }

  std::string describe(const Series& s) const {
    if (&s == &m_below_mark) return "bold lines each set below a divider or a number badge";
    const Candidate& c = all[s.members.front()];
    if (c.markup == Candidate::Markup::heading) return "headings of level " + std::to_string(c.level);
    if (c.markup == Candidate::Markup::badge) return "number badges 1, 2, 3… with no other title for their sections";
    if (!c.decoration.empty()) return "bold lines marked " + c.decoration;
    return "bold lines numbered " + c.number_style + " 1, 2, 3…";
  }

  // The strong series that starts first cuts the article; the next one to start after it nests
  // under it, together with any other numbered the same way (（一） set bold here, as a heading
  // there).
  bool strong_series(const std::map<std::string, Series>& series) {
    std::vector<const Series*> found;
    for (const auto& [key, s] : series)
      if (strong(s)) found.push_back(&s);
    if (m_below_mark.members.size() >= 2) found.push_back(&m_below_mark);
    const Series* top = first_series(found);
    if (!top) return false;
    const Candidate& head = all[top->members.front()];
    for (std::size_t m : top->members) take_unless_statement(m, 1, "title: " + describe(*top) + ", the first series of titles");
    if (head.markup != Candidate::Markup::heading) plain_bold_lines(series, *top);
    if (const Series* sub = nested_series(found, *top)) {
      const std::string style = all[sub->members.front()].number_style;
      for (const Series* s : found)
        if (s == sub || (s != top && !style.empty() && all[s->members.front()].number_style == style &&
                         nests_under(head, all[s->members.front()])))
          nest(*s, top->members.front(), describe(*s) + " nested under " + describe(*top));
      parents_of_restarts();
    }
    return true;
  }

  // Sections built alike (八字结 / 生存用途 缺点, 称人结 / 生存用途 缺点): where their parts start
  // again after a plain bold name, that name is the section's title the author forgot to style.
  void parents_of_restarts() {
    std::map<std::string, int> firsts;  // the first part's words under each top title
    for (std::size_t i = 0; i + 1 < all.size(); ++i)
      if (out.depth[i] == 1)
        for (std::size_t k = i + 1; k < all.size() && out.depth[k] != 1; ++k)
          if (out.depth[k] == 2) {
            ++firsts[all[k].text];
            break;
          }
    int inside = 0;  // depth of the last title passed
    for (std::size_t m = 0; m < all.size(); ++m) {
      if (out.depth[m]) {
        inside = out.depth[m];
        continue;
      }
      if (inside != 2 || all[m].markup != Candidate::Markup::bold || all[m].form != Form::name) continue;
      std::size_t next = m + 1;
      while (next < all.size() && !out.depth[next]) ++next;
      if (next < all.size() && out.depth[next] == 2 && firsts[all[next].text] >= 2)
        take(m, 1, "title: a bold line where the sections' parts start again (" + all[next].text + ")");
    }
  }

  const Series* first_series(std::vector<const Series*>& found) const {
    const auto rank = [&](const Series* s) {
      const Candidate& c = all[s->members.front()];
      return std::tuple(s->members.front(), c.markup == Candidate::Markup::heading ? c.level : 9,
                        -static_cast<long>(s->members.size()));
    };
    std::sort(found.begin(), found.end(), [&](const Series* a, const Series* b) { return rank(a) < rank(b); });
    // Bold numbers that start again at 1 are items under group titles (上篇 1. 2. 下篇 1. 2.):
    // the groups, not the items, cut the article, and bold_lines() nests the items.
    const auto top = std::find_if(found.begin(), found.end(), [&](const Series* s) {
      const Candidate& c = all[s->members.front()];
      return s == &m_below_mark || c.markup == Candidate::Markup::heading || c.number_style.empty() ||
             !restarts(all, s->members);
    });
    if (top == found.end()) return nullptr;
    // Among headings the top level is the outline even when a lower one comes first (a ###
    // before the first ##); bold lines win over headings only by starting earlier.
    const Series* best = *top;
    const auto level = [&](const Series* s) { return all[s->members.front()].level; };
    for (const Series* s : found)
      if (all[s->members.front()].markup == Candidate::Markup::heading &&
          all[best->members.front()].markup == Candidate::Markup::heading && level(s) < level(best))
        best = s;
    return best;
  }

  // The first other series that goes on after the top one starts, mostly outside it.
  const Series* nested_series(const std::vector<const Series*>& found, const Series& top) const {
    const Candidate& head = all[top.members.front()];
    for (const Series* s : found) {
      const auto outside = std::count_if(s->members.begin(), s->members.end(), [&](std::size_t m) { return !out.depth[m]; });
      if (s != &top && s->members.back() > top.members.front() && nests_under(head, all[s->members.front()]) &&
          2 * static_cast<std::size_t>(outside) > s->members.size())
        return s;
    }
    return nullptr;
  }

  // Where bold lines outline the article, the other unnumbered bold lines that stand alone and
  // read as names (or as a name and its gloss: 模块化设计：低耦合、高内聚) are titles too. Spread
  // over two or more of its sections, they are the level below (each section's own parts); all
  // in one stretch, they are more of the top level: authors change their style midway (一、 二、
  // then 03, then none). Above the body (authors' names, a subtitle) such lines are not titles,
  // nor below the last title unless a section's worth of text follows (an account card or an
  // author's bio does not).
  void plain_bold_lines(const std::map<std::string, Series>& series, const Series& top) {
    constexpr std::size_t k_body_before = 50;
    const std::size_t first = top.members.front(), last = top.members.back();
    std::vector<std::size_t> plain;
    std::set<std::size_t> sections;  // the top titles the plain lines stand under
    for (const auto& [key, s] : series)
      for (std::size_t m : s.members) {
        const bool among = m < last || body_after(m) >= section_body();
        const bool named = all[m].form == Form::name || (m > first && all[m].form == Form::clause);
        if (all[m].markup == Candidate::Markup::bold && all[m].number_style.empty() && !out.depth[m] && named &&
            !all[m].statement && among && (all[m].text_before >= k_body_before || body_after(m) >= section_body())) {
          plain.push_back(m);
          if (m > first) sections.insert(*std::prev(std::upper_bound(top.members.begin(), top.members.end(), m)));
        }
      }
    const bool nested = sections.size() >= 2;
    for (std::size_t m : plain) {
      if (nested && m > first) take(m, 2, "title: a bold line in the sections of the series, one of their parts");
      else if (all[m].form == Form::name) take(m, 1, "title: a bold line among the titles of the series");
    }
  }

  // A twentieth of a short article is a section's worth of it; something, at least.
  std::size_t section_body() const { return std::clamp<std::size_t>(length / 20, 1, k_section_body); }

  // Short bold sentences or questions standing alone, three or more each over a section of text:
  // an author who titles in sentences (先了解一下DC。/ 为什么要引入DC？), not emphasis.
  bool m_sentence_titles = false;

  void find_sentence_titles() {
    constexpr std::size_t k_least = 3;
    std::size_t count = 0;
    for (std::size_t i = 0; i < all.size(); ++i)
      count += all[i].short_sentence && !m_label[i] && body_after(i) >= section_body();
    m_sentence_titles = count >= k_least;
  }

  // Bold lines standing alone, three or more each over a section of text, are the article's
  // titles though some hold a comma or a colon or run long (爱上另一个女人，是真正的相爱; a
  // digest's news titles): neither numbered nor ending as a sentence, they are not emphasis.
  bool m_headlines = false;

  bool headline(std::size_t m) const {
    constexpr std::size_t k_widest = 100;
    const Candidate& c = all[m];
    return c.markup == Candidate::Markup::bold && c.number_style.empty() && !m_label[m] && !c.statement &&
           (c.form == Form::name || c.form == Form::too_long || c.form == Form::clause) &&
           display_width(c.text) <= k_widest && body_after(m) >= section_body();
  }

  void find_headlines() {
    constexpr std::size_t k_least = 3;
    std::size_t count = 0;
    for (std::size_t i = 0; i < all.size(); ++i) count += headline(i);
    m_headlines = count >= k_least;
  }

  // A short name with no text of its own, directly above headlines, is the group they belong to
  // (特别关注 / 热点观察 over news titles); with two or more such groups the headlines nest under
  // them, while a name that has text of its own stays at the top level.
  void groups_over_headlines() {
    constexpr std::size_t k_least = 2;
    std::vector<std::size_t> taken;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (out.depth[i]) taken.push_back(i);
    std::vector<bool> group(all.size());
    std::size_t groups = 0;
    for (std::size_t k = 0; k + 1 < taken.size(); ++k) {
      const std::size_t m = taken[k], next = taken[k + 1];
      const std::size_t end = all[m].position + count_code_points(all[m].text);
      group[m] = all[m].form == Form::name && all[next].form != Form::name && all[next].position <= end;
      groups += group[m];
    }
    if (groups < k_least) return;
    bool in_group = false;
    for (std::size_t m : taken) {
      if (all[m].form == Form::name) {
        in_group = group[m];
        if (in_group) out.why[m] += " (a group over the headlines below it)";
      } else if (in_group) {
        out.depth[m] = 2;
        out.why[m] += " (in the group above)";
      }
    }
  }

  // Below the last section's worth of text: a line there is a footer's (a contact line, an
  // emphasised sentence at the end), not a title of a section.
  bool in_footer(std::size_t m) const {
    return m_last_section != k_no_footer && (m_last_section == all.size() || m > m_last_section);
  }

  // A group title's text is its numbered items (上篇 then 1. 2. 3.).
  bool opens_numbered(std::size_t m) const { return m + 1 < all.size() && !all[m + 1].number_style.empty(); }

  // How much body lies between candidate `m` and the next that may be a title (or the end); a
  // bold paragraph that reads as prose is body.
  std::size_t body_after(std::size_t m) const {
    const std::size_t next = m_next_title[m];
    const std::size_t end = next < all.size() ? all[next].position : length;
    const std::size_t start = all[m].position + count_code_points(all[m].text);
    return end > start ? end - start : 0;
  }

  // Titles numbered 1, 1.1, 1.1.1 sit at the level their numbers give, whatever the markup an
  // author gave each (a 3.2 set as ## among ### siblings); the third level stays in its section.
  void levels_by_number() {
    bool first = false, second = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      first = first || (out.depth[i] && all[i].outline_number == 1);
      second = second || (out.depth[i] && all[i].outline_number == 2);
    }
    if (!first || !second) return;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (out.depth[i] && all[i].outline_number > 0) {
        if (all[i].outline_number > 2) {
          out.depth[i] = 0;
          out.why[i] = "not a title: its number (1.1.1) is of a third level, kept in its section";
        } else if (out.depth[i] != all[i].outline_number) {
          out.depth[i] = all[i].outline_number;
          out.why[i] += " (at the level its number gives)";
        }
      }
  }

  // Under headings only a lower heading level nests: bold lines inside an author's headed
  // sections are emphasis or list labels (（1）typeof), not an outline level.
  static bool nests_under(const Candidate& top, const Candidate& sub) {
    if (top.markup != Candidate::Markup::heading) return true;
    return sub.markup == Candidate::Markup::heading && sub.level > top.level;
  }

  void take_unless_statement(std::size_t m, int depth, std::string why) {
    if (all[m].markup != Candidate::Markup::heading && all[m].statement)
      out.why[m] = "not a title: it ends as a statement does, though its series are titles";
    else
      take(m, depth, std::move(why));
  }

  // A nested series sits one level below the title it follows outside itself: under the top
  // level, or under a part of a section (重点关注漏洞详情 / 1、CVE-… 2、CVE-…).
  void nest(const Series& sub, std::size_t first_top, const std::string& why) {
    for (std::size_t m : sub.members) {
      if (out.depth[m]) continue;  // in the top series too (a numbered title after a divider)
      if (m < first_top) {
        take_unless_statement(m, 1, "title: before the first title of the top level");
        continue;
      }
      std::size_t parent = m;
      while (parent-- > 0 && (!out.depth[parent] || series_of(all[parent]) == series_of(all[m]))) {}
      take_unless_statement(m, out.depth[parent] + 1, "title: " + why);
    }
  }

  // Without a strong series, bold lines and number badges one by one: a member is taken when it
  // reads as a name over a section's text, or whatever it reads like when its series is
  // numbered 1, 2, 3…; words set bold again and again never are.
  std::size_t bold_lines(const std::map<std::string, Series>& series) {
    std::size_t taken = 0;
    for (const auto& [key, s] : series) {
      const Candidate& first = all[s.members.front()];
      if (first.markup == Candidate::Markup::heading) continue;
      const bool badges = first.markup == Candidate::Markup::badge;
      const bool numbered = (badges || !first.number_style.empty()) && numbers_run(all, s.members);
      for (std::size_t m : s.members) {
        if (badges && !numbered) {
          out.why[m] = "not a title: a number alone, and the numbers do not run 1, 2, 3…";
        } else if (badges) {
          take(m, 1, "title: number badges 1, 2, 3… with no other title for their sections");
        } else if (numbered && !all[m].statement) {
          take(m, 1, "title: a bold line numbered in a series (" + first.number_style + ") that runs 1, 2, 3…");
        } else if (numbered) {
          out.why[m] = "not a title: numbered, but it ends as a statement does: a list of points";
        } else if (all[m].form != Form::name && !(all[m].short_sentence && m_sentence_titles) &&
                   !(m_headlines && headline(m))) {
          out.why[m] = std::string("not a title: ") + form_reason(all[m].form);
        } else if (m_stacked[m]) {
          out.why[m] = "not a title: one of three or more bold lines stacked with no text between them (a tagline)";
        } else if (in_footer(m) && !opens_numbered(m)) {
          out.why[m] = "not a title: near the end, with hardly any text after it or after any title below it";
        } else {
          take(m, 1, "title: a bold line");
        }
        if (out.depth[m]) ++taken;
      }
    }
    return taken;
  }

  // With no bold titles, the top-level heading may stand alone: the author set it apart.
  void lone_heading(const std::map<std::string, Series>& series) {
    const Series* top = nullptr;
    for (const auto& [key, s] : series)
      if (all[s.members.front()].markup == Candidate::Markup::heading &&
          (!top || all[s.members.front()].level < all[top->members.front()].level))
        top = &s;
    if (!top) return;
    // Alone, it is a title only over a section's text: an ad card's or a footer's heading has
    // little after it.
    const std::size_t m = top->members.front();
    if (body_after(m) < section_body())
      out.why[m] = "not a title: the only heading, with hardly any text after it";
    else
      take(m, 1, "title: a heading of the article's top level");
  }
};

}  // namespace

const char* form_reason(Form form) {
  switch (form) {
    case Form::name: return "a name";
    case Form::number_only: return "nothing but a number";
    case Form::too_long: return "too long for a title (over 40 columns)";
    case Form::byline: return "a byline (a / b)";
    case Form::attribution: return "a subtitle or an attribution (starts with a dash)";
    case Form::sentence: return "a sentence (ends in 。？！… or has one inside)";
    case Form::clause: return "a clause (has a comma or a colon)";
    case Form::label: return "a label: it ends in a colon, introducing what follows";
    case Form::pointer: return "it points at what is below (↓ 👇 ▼): a prompt";
    case Form::no_words: return "no words";
  }
  return "";
}

std::string series_of(const Candidate& candidate) {
  switch (candidate.markup) {
    case Candidate::Markup::heading: return "h" + std::to_string(candidate.level);
    case Candidate::Markup::badge: return "badge";
    case Candidate::Markup::bold: break;
  }
  return "bold " + candidate.decoration + candidate.number_style;
}

OutlineChoice choose_outline(const std::vector<Candidate>& candidates, std::size_t length) {
  Chooser chooser{candidates, length, {std::vector<int>(candidates.size(), 0), std::vector<std::string>(candidates.size())}};
  chooser.measure_sections();
  const auto series = group(candidates, chooser.plain_without_text());
  chooser.find_labels();
  chooser.find_stacks();
  chooser.find_sentence_titles();
  chooser.find_headlines();
  chooser.find_below_mark();
  const bool strong = chooser.strong_series(series);
  if (!strong && chooser.bold_lines(series) == 0) chooser.lone_heading(series);
  if (!strong) chooser.groups_over_headlines();
  chooser.levels_by_number();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (chooser.out.depth[i] || !chooser.out.why[i].empty()) continue;
    const bool heading = candidates[i].markup == Candidate::Markup::heading;
    chooser.out.why[i] = !strong ? (heading ? "not a title: a heading used once, while bold lines outline the article" : "not a title")
                         : heading ? "not a title: a heading outside the series that outline the article, kept inside its section"
                                   : "not a title: outside the series that outline the article";
  }
  return std::move(chooser.out);
}

}  // namespace inkpack

#include "transform/outline.hpp"

#include <algorithm>
#include <map>
#include <set>

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

// The same few texts again and again are a form's labels (漏洞名称 under every item), not titles.
bool repeated_labels(const std::vector<Candidate>& all, const std::vector<std::size_t>& members) {
  if (members.size() < 4) return false;
  std::set<std::string> texts;
  for (std::size_t m : members) texts.insert(all[m].text);
  return texts.size() * 10 < members.size() * 6;
}

std::map<std::string, Series> group(const std::vector<Candidate>& all) {
  std::map<std::string, Series> series;
  for (std::size_t i = 0; i < all.size(); ++i) series[series_of(all[i])].members.push_back(i);
  return series;
}

struct Chooser {
  const std::vector<Candidate>& all;
  OutlineChoice out;

  void take(std::size_t i, int depth, std::string why) {
    out.depth[i] = depth;
    out.why[i] = std::move(why);
  }

  // The top heading level used at least twice cuts the article, unless bold lines marked alike
  // (▍ 前言, ▍ 后记) start before it; the next heading level used at least twice nests under
  // it. A heading used once (a footer's recommended title, a byline set as <h2>) is not an
  // outline by itself.
  bool headings(const std::map<std::string, Series>& series) {
    std::vector<std::pair<int, const Series*>> levels;
    const Series* marked = nullptr;
    for (const auto& [key, s] : series) {
      const Candidate& first = all[s.members.front()];
      if (s.members.size() < 2) continue;
      if (first.markup == Candidate::Markup::heading) levels.emplace_back(first.level, &s);
      else if (!first.decoration.empty() && first.markup == Candidate::Markup::bold &&
               (!marked || s.members.size() > marked->members.size()))
        marked = &s;
    }
    if (levels.empty()) return false;
    std::sort(levels.begin(), levels.end());
    if (marked && marked->members.front() < levels.front().second->members.front()) {
      for (std::size_t m : marked->members) take(m, 1, "title: bold lines marked " + all[m].decoration + " before the headings start");
      nest(*levels.front().second, marked->members.front(), "headings of level " + std::to_string(levels.front().first) + " nested under the marked lines");
      return true;
    }
    const auto [top, top_series] = levels.front();
    for (std::size_t m : top_series->members)
      take(m, 1, "title: headings of level " + std::to_string(top) + ", the article's top level used more than once");
    if (levels.size() >= 2)
      nest(*levels[1].second, top_series->members.front(),
           "headings of level " + std::to_string(levels[1].first) + " nested under level " + std::to_string(top));
    return true;
  }

  void nest(const Series& sub, std::size_t first_top, const std::string& why) {
    for (std::size_t m : sub.members) {
      if (m < first_top) take(m, 1, "title: a heading before the first title of the top level");
      else take(m, 2, "title: " + why);
    }
  }

  // Bold lines and number badges: a member is taken when it reads as a name, or whatever it
  // reads like when its series is numbered 1, 2, 3…; a series of repeated labels never is.
  std::size_t bold_lines(const std::map<std::string, Series>& series) {
    std::size_t taken = 0;
    for (const auto& [key, s] : series) {
      const Candidate& first = all[s.members.front()];
      if (first.markup == Candidate::Markup::heading) continue;
      if (repeated_labels(all, s.members)) {
        for (std::size_t m : s.members) out.why[m] = "not a title: the same labels repeat through the article (a form's fields)";
        continue;
      }
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
        } else if (all[m].form) {
          out.why[m] = std::string("not a title: ") + all[m].form;
        } else {
          take(m, 1, "title: a bold line");
        }
        if (out.depth[m]) ++taken;
      }
    }
    return taken;
  }

  // With no bold titles, the top-level heading stands even alone: the author set it apart.
  void lone_heading(const std::map<std::string, Series>& series) {
    const Series* top = nullptr;
    for (const auto& [key, s] : series)
      if (all[s.members.front()].markup == Candidate::Markup::heading &&
          (!top || all[s.members.front()].level < all[top->members.front()].level))
        top = &s;
    if (top)
      for (std::size_t m : top->members) take(m, 1, "title: a heading of the article's top level");
  }
};

}  // namespace

std::string series_of(const Candidate& candidate) {
  switch (candidate.markup) {
    case Candidate::Markup::heading: return "h" + std::to_string(candidate.level);
    case Candidate::Markup::badge: return "badge";
    case Candidate::Markup::bold: break;
  }
  return "bold " + candidate.decoration + candidate.number_style;
}

OutlineChoice choose_outline(const std::vector<Candidate>& candidates, std::size_t /*length*/) {
  Chooser chooser{candidates, {std::vector<int>(candidates.size(), 0), std::vector<std::string>(candidates.size())}};
  const auto series = group(candidates);
  if (chooser.headings(series)) {
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (!chooser.out.depth[i] && chooser.out.why[i].empty())
        chooser.out.why[i] = candidates[i].markup == Candidate::Markup::heading
                                 ? "not a title: a heading below the levels that outline the article, kept inside its section"
                                 : "not a title: the article's headings outline it";
    return std::move(chooser.out);
  }
  if (chooser.bold_lines(series) == 0) chooser.lone_heading(series);
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (!chooser.out.depth[i] && chooser.out.why[i].empty())
      chooser.out.why[i] = candidates[i].markup == Candidate::Markup::heading
                               ? "not a title: a heading used once, while bold lines outline the article"
                               : "not a title";
  return std::move(chooser.out);
}

}  // namespace inkpack

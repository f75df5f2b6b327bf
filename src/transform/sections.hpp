#pragma once
// Finding the book's title and its sections in an article's body.
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

/// A section title's leading number: `rest` is the title without it; `style` ("1.", "01", "一、",
/// "()", "第") is empty when there is none.
struct TitleNumber {
  std::string rest;
  std::string style;
  int value = 0;
};
TitleNumber parse_number(const std::string& title);

/// `--sections`: exact titles, or one regular expression, replacing detection.
struct SectionOverride {
  std::vector<std::string> titles;
  std::optional<std::wregex> pattern;  ///< over code points, so `.` matches one CJK character

  bool empty() const { return titles.empty() && !pattern; }
  bool matches(const std::string& text) const;
};

/// Parses `--sections` values: a single `/regex/` or a list of titles.
Expected<SectionOverride> parse_section_override(const std::vector<std::string>& values);

/// Takes the article's leading `#` heading as its title (into meta.title when unset), then splits
/// doc.blocks into doc.sections: at the top heading level used if the article has headings,
/// otherwise at bold lines that read as titles. Untitled text before the first section and after
/// an empty heading that follows the last one become opening and closing parts, titled in
/// `language`. Empty headings never become sections.
void split_sections(Document& doc, const SectionOverride& override_, Diagnostics& diags);

/// Gives every section and body heading a unique id and returns the anchors links may use:
/// what a `#fragment` may say (the heading's text or slug) mapped to that id.
std::map<std::string, std::string> assign_ids(Document& doc);

}  // namespace inkpack

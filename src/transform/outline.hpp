#pragma once
// Choosing an article's outline from its candidate title lines, as a reader does: by which lines
// are styled alike and numbered alike across the whole article (a series), not by each line alone.
#include <cstddef>
#include <string>
#include <vector>

namespace inkpack {

/// How a line's wording reads, whatever else it has for it: a title is a short name.
enum class Form {
  name,
  number_only,  ///< nothing but a number
  too_long,     ///< over 40 columns
  byline,       ///< a / b
  attribution,  ///< starts with a dash: a subtitle or an attribution
  sentence,     ///< ends in 。？！… or has one inside
  clause,       ///< has a comma or a colon
  label,        ///< ends in a colon, introducing what follows
  pointer,      ///< points at what is below (↓ 👇 ▼): a prompt
  no_words,
};

/// Why a line of this form is not taken as a title by itself, for --explain.
const char* form_reason(Form form);

/// A line that may be a section title, with what a reader sees of it.
struct Candidate {
  enum class Markup { heading, bold, badge };
  Markup markup = Markup::bold;
  int level = 0;              ///< heading level (1–6)
  std::string text;           ///< the title as it would be listed
  std::string decoration;     ///< a mark set before it (▍, ■), not part of the title
  std::string number_style;   ///< its leading number's style (parse_number), empty if none
  int number = 0;             ///< that number's value
  int outline_number = 0;     ///< parts of a leading 3.1.2-style number (3), 0 without one
  std::size_t position = 0;   ///< how much body (text, pictures) is before it: where it stands
  std::size_t text_before = 0;  ///< characters of paragraphs before it (not quotes, lists, pictures)
  Form form = Form::name;     ///< how its wording reads; may be outweighed by its series
  bool below_mark = false;    ///< just below a divider image or a number badge
  bool short_sentence = false;  ///< a short sentence or question, nothing else against it
  bool plain = false;          ///< not bold: set apart by its badge or its own 一、 numbering
  bool question = false;      ///< a sentence that asks (程序员还有未来吗？), as titles may
  bool statement = false;     ///< ends as a statement or clause does (。；，), not as a name or question

  /// A name, a name with its gloss (模块化设计：低耦合、高内聚) or a question; not a statement:
  /// what a line under a badge or a divider must read as to be its title.
  bool reads_as_title() const {
    return form == Form::name || (form == Form::clause && !statement) || short_sentence || question;
  }
};

/// Candidates that look alike: one heading level, or bold lines with one number style.
std::string series_of(const Candidate& candidate);

struct OutlineChoice {
  std::vector<int> depth;        ///< per candidate: 0 not a title, 1 a section, 2 under the last 1
  std::vector<std::string> why;  ///< per candidate, for --explain
};

/// Picks the series that outline the article (`length`: characters of body text in all): level 1
/// the best series that cuts the article into sections, level 2 a series nested inside it.
OutlineChoice choose_outline(const std::vector<Candidate>& candidates, std::size_t length);

}  // namespace inkpack

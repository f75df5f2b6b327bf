#pragma once
// Markdown footnote definitions (`[^label]: text`, pandoc's and GitHub's syntax) taken out of an
// article's source before md4c reads it: md4c has no footnotes, and would print a definition as
// a paragraph or swallow one that looks like a link reference (`[^1]: https://…`).
#include <string>
#include <string_view>
#include <vector>

namespace inkpack {

struct FootnoteDefinition {
  std::string label;  ///< as written between `[^` and `]`
  std::string text;   ///< its Markdown, continuation lines unindented
};

struct LiftedFootnotes {
  std::string body;  ///< the source without the definitions; each leaves a blank line behind
  std::vector<FootnoteDefinition> definitions;  ///< in source order
};

/// The definitions outside fenced code, each with the lines that continue it: lines indented by
/// four spaces or a tab (after blank lines too), and unindented lines straight after it (a
/// paragraph's lazy continuation) until a blank line, a heading, a fence or another definition.
/// References (`[^label]`) stay in the text: md4c leaves them as text, and code keeps its own.
LiftedFootnotes lift_footnotes(std::string_view source);

}  // namespace inkpack

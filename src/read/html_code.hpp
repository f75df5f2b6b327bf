#pragma once
// Code in saved pages: a <pre>'s text with its lines, whichever way the page's editor wrote them.
#include <gumbo.h>

#include <string>

namespace inkpack {

/// The text of a <pre>, line by line: a <br>, each of several <code> elements side by side
/// (WeChat's code snippets give every line one) and each block element inside (editors that
/// write a <div> or <p> per line) end a line. No-break spaces, which editors indent with,
/// become spaces; the final line break is dropped.
std::string code_text(const GumboNode* pre);

/// The language a page names for its code (`data-lang`, WeChat's, or a `language-` class).
std::string code_language(const GumboNode* pre);

/// WeChat's column of line numbers beside a code snippet (`<ul class="code-snippet__line-index">`,
/// empty items numbered by its stylesheet): nothing a book can show.
bool is_code_line_numbers(const GumboNode* node);

}  // namespace inkpack

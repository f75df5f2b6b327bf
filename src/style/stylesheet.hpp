#pragma once
// The book's one stylesheet: the template's book.css, the embedded font's @font-face, then the
// user's own (--css), so the user's rules win.
#include <filesystem>
#include <optional>
#include <string>

#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

struct FontFace {
  std::string family;  ///< the name the stylesheet uses
  std::string href;    ///< relative to the stylesheet, e.g. "../fonts/text.ttf"
  std::string bold_href;  ///< the bold face, if embedded
};

/// `font`: the embedded font, if any. A user stylesheet that is not UTF-8 is repaired, with a
/// warning; one that cannot be read is an error.
Expected<std::string> make_stylesheet(const std::string& base, const std::optional<FontFace>& font,
                                      const std::optional<std::filesystem::path>& user_css, Diagnostics& diags);

}  // namespace inkpack

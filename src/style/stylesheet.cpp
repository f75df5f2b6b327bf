#include "style/stylesheet.hpp"

#include "limits.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace inkpack {

Expected<std::string> make_stylesheet(const std::string& base, const std::optional<FontFace>& font,
                                      const std::optional<std::filesystem::path>& user_css, Diagnostics& diags) {
  std::string css = base;
  if (font) {
    const auto face_rule = [&](const char* weight, const std::string& href) {
      return "@font-face { font-family: \"" + font->family + "\"; font-style: normal; font-weight: " + weight +
             "; src: url(\"" + href + "\"); }\n";
    };
    // The embedded font first, then the CJK serifs phones and e-readers carry, for any character
    // the subset lacks. Headings and text only: code keeps its monospace.
    css += "\n/* The embedded font: only the characters this book uses (inkpack --font). */\n" +
           face_rule("normal", font->href) + (font->bold_href.empty() ? "" : face_rule("bold", font->bold_href)) +
           "body { font-family: \"" + font->family +
           "\", \"Songti SC\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", serif; }\n";
  }
  if (user_css) {
    auto bytes = read_file(*user_css, k_max_stylesheet_bytes);
    if (!bytes) return fail("--css " + user_css->string() + ": " + bytes.error().message);
    Utf8Repair repaired = sanitize_utf8(*bytes);
    if (!repaired.bad_lines.empty())
      diags.warn(user_css->string() + ":" + std::to_string(repaired.bad_lines.front()),
                 "not UTF-8 or holds control characters: replaced with U+FFFD");
    css += "\n/* The user's stylesheet (--css " + user_css->filename().string() + "). */\n" + repaired.text;
  }
  return css;
}

}  // namespace inkpack

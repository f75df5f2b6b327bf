#pragma once
// Raw HTML found in Markdown: tags are recognised and sorted into what the book keeps as elements
// (a safe subset), what it drops with its content, and what it shows as escaped text.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/document.hpp"

namespace inkpack {

struct HtmlTag {
  std::string name;  ///< lower case
  bool closing = false;
  bool self_closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< values entity-decoded

  std::string attribute(std::string_view key) const;
};

/// Parses one tag, `<name attr="v">` or `</name>`; nullopt if `raw` is not exactly one tag.
std::optional<HtmlTag> parse_html_tag(std::string_view raw);

enum class TagRole {
  inline_container,  ///< kept as an inline element (see inline_kind)
  transparent,       ///< tag dropped, content kept (span, font, code, …)
  block,             ///< ends a paragraph when raw HTML forms a block
  line_break,
  image,
  rule,
  dropped,           ///< dropped with its content (script, style, iframe, …)
  unknown,           ///< shown as text
};

TagRole tag_role(std::string_view name);
/// For inline containers: the model's kind for the tag.
InlineKind inline_kind(std::string_view name);

/// Decodes character references: numeric ones and the common named ones. Unknown names and
/// references to invalid code points are left as written.
std::string decode_entities(std::string_view text);

/// Splits an HTML fragment into tags, comments and text, in order. Each piece is a view into
/// `html`; a '<' that starts no tag stays in text.
std::vector<std::string_view> tokenize_html(std::string_view html);

}  // namespace inkpack

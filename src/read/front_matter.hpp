#pragma once
// YAML front matter: the `---` block at the top of a Markdown file is metadata, not body text.
#include <string>
#include <string_view>

#include "model/document.hpp"
#include "util/diagnostics.hpp"

namespace inkpack {

struct FrontMatter {
  Metadata meta;
  std::string body;  ///< the Markdown after the front matter
};

/// Splits off and reads front matter if the text starts with one that parses as a YAML mapping.
FrontMatter split_front_matter(std::string_view markdown, const std::string& source_name,
                               Diagnostics& diags);

}  // namespace inkpack

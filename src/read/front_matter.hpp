#pragma once
// Metadata: the `---` YAML or `+++` TOML front matter at the top of a Markdown file, and book
// manifests (YAML).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

struct FrontMatter {
  Metadata meta;
  std::string body;  ///< the Markdown after the front matter
};

/// Splits off and reads front matter if the text starts with one that parses: a YAML mapping
/// between `---` lines, TOML between `+++` lines (Hugo, Zola), or a JSON object up to a line
/// holding `}` (Hugo).
FrontMatter split_front_matter(std::string_view markdown, const std::string& source_name,
                               Diagnostics& diags);

/// The JSON front matter an HTML page may open with in a comment, `<!--{"Title": …}-->` (Go's
/// documentation pages), or nullopt.
std::optional<Metadata> read_comment_front_matter(std::string_view html);

/// A book of several articles described in a file: its metadata and its articles in order.
struct Manifest {
  Metadata meta;                      ///< the book's (title, author, lang, date, tags…)
  std::vector<std::string> articles;  ///< as written: paths relative to the manifest, or links
};

/// Reads a manifest: a YAML mapping with an `articles:` list, beside the same keys as front
/// matter. An error names what is wrong (not YAML, no list, an entry that is not a string); a
/// key it does not know is a warning.
Expected<Manifest> read_manifest(std::string_view yaml, const std::string& source_name, Diagnostics& diags);

}  // namespace inkpack

#pragma once
// A book manifest (book.yaml) as an input: the articles it stands for, under the rules that keep
// a manifest from reading what its folder does not hold.
#include <filesystem>
#include <vector>

#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

/// Whether an input is a manifest (a local .yaml or .yml file) rather than an article.
bool is_manifest(const std::filesystem::path& input);

struct ExpandedManifest {
  Metadata meta;                                ///< the manifest's own (a nested one's are not the book's)
  std::vector<std::filesystem::path> articles;  ///< files and links, in reading order
  std::vector<std::filesystem::path> manifests; ///< every manifest read: the given one and those it lists
};

/// The articles of the manifest at `path`, relative to it; a manifest it lists stands for its
/// own articles in turn. Errors: a manifest that lists itself or one that lists it back (named
/// as a chain), an entry that is not there (named with its manifest), and, unless
/// `allow_outside`, a file outside the given manifest's folder (`../../etc/passwd`,
/// `/etc/hostname`, a link out of it).
Expected<ExpandedManifest> expand_manifest(const std::filesystem::path& path, bool allow_outside, Diagnostics& diags);

}  // namespace inkpack

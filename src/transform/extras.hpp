#pragma once
// What the page around an article put into its text: the backup site's navigation and notes
// above it, the account's end matter (recommended reading, link lists, label lines, follow
// prompts, QR codes) below it. Recognised by shape, not by one site's wording.
#include <string>
#include <vector>

#include "model/document.hpp"

namespace inkpack {

/// Removes leading chrome and trailing end matter from an article's body (its `#` title, if
/// first, stays). Returns the plain text of what was removed, one entry per block, so a user
/// can see what went (`--verbose`) and keep it (`--keep-extras`).
std::vector<std::string> remove_extras(Blocks& blocks);

/// Marks images used more than once in an article (a divider before every section, a recurring
/// spacer) as decorative: a reader is told nothing about them, and a missing one leaves no gap.
void mark_decorative_images(Blocks& blocks);

}  // namespace inkpack

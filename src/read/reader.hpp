#pragma once
// The one way an article is read: Markdown or a saved page, whichever it is, into the model.
#include <optional>
#include <string>
#include <string_view>

#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

/// Whether an article is a saved page: what its server `declared`, else its name and bytes.
bool reads_as_html(std::string_view bytes, const std::string& name, std::optional<bool> declared);

/// The article's document: metadata and blocks as written, before any pass. `name` is its path
/// or address, for messages.
Expected<Document> read_article(std::string_view bytes, const std::string& name, bool html, Diagnostics& diags);

}  // namespace inkpack

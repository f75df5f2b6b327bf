#pragma once
// The one way an article is read: Markdown or a saved page, whichever it is, into the model.
#include "input/articles.hpp"
#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

/// Whether the article is read as a saved page: what its server said, or its name and bytes.
bool reads_as_html(const Article& article);

/// The article's document: metadata and blocks as written, before any pass.
Expected<Document> read_article(const Article& article, Diagnostics& diags);

}  // namespace inkpack

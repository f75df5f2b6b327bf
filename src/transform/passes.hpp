#pragma once
// The order of the work on the text: the passes every article goes through after it is read,
// and those the book goes through once its articles are merged. Each pass is a named function;
// this table is the only place that says which runs when (ARCHITECTURE.md shows the same).
#include <span>
#include <string>
#include <string_view>

#include "model/document.hpp"
#include "transform/sections.hpp"
#include "util/diagnostics.hpp"

namespace inkpack {

/// What the build asks of every article.
struct ArticleOptions {
  bool keep_extras = false;       ///< keep site chrome, bylines and end matter in the text
  std::string language;           ///< --lang; empty: the article's own or detected
  SectionOverride sections;       ///< --sections
};

/// One article on its way through the passes.
struct ArticleWork {
  Document& doc;
  const std::string& name;  ///< for messages: the path or address
  bool html;                ///< read from a saved page, not Markdown
  const ArticleOptions& options;
  Diagnostics& diags;
};

struct ArticlePass {
  std::string_view name;
  void (*run)(ArticleWork&);
};

/// The article passes in their order.
std::span<const ArticlePass> article_passes();

/// Runs them all on one article.
void run_article_passes(ArticleWork& work);

struct BookPass {
  std::string_view name;
  void (*run)(Document&);
};

/// The passes over the merged book (ids are unique only across the whole book), in their order.
std::span<const BookPass> book_passes();

void run_book_passes(Document& book);

}  // namespace inkpack

#include "read/reader.hpp"

#include "read/html_reader.hpp"
#include "read/markdown_reader.hpp"

namespace inkpack {

bool reads_as_html(const Article& article) {
  return article.html.value_or(looks_like_html(article.bytes, article.name));
}

Expected<Document> read_article(const Article& article, Diagnostics& diags) {
  if (reads_as_html(article)) return read_html(article.bytes, article.name, diags);
  return read_markdown(article.bytes, article.name, diags);
}

}  // namespace inkpack

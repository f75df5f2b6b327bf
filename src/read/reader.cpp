#include "read/reader.hpp"

#include "read/html_reader.hpp"
#include "read/markdown_reader.hpp"

namespace inkpack {

bool reads_as_html(std::string_view bytes, const std::string& name, std::optional<bool> declared) {
  return declared.value_or(looks_like_html(bytes, name));
}

Expected<Document> read_article(std::string_view bytes, const std::string& name, bool html, Diagnostics& diags) {
  if (html) return read_html(bytes, name, diags);
  return read_markdown(bytes, name, diags);
}

}  // namespace inkpack

#pragma once
// Saved web pages (HTML5, parsed by Gumbo) into the document model: the article's body and its
// metadata, without the page around it. WeChat pages (mp.weixin.qq.com) get their own rules.
#include <string>
#include <string_view>

#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

/// Whether bytes read from `name` are an HTML page rather than Markdown: by extension, else by
/// a doctype or <html> at the start.
bool looks_like_html(std::string_view bytes, const std::string& name);

/// Reads one page. The body is WeChat's `#js_content`, else `<article>`, else `<main>`, else
/// `<body>`; navigation, headers, footers, asides, forms and scripts are left out. Images come from
/// `data-src` where a page loads them lazily. Metadata from the page's title, author and account
/// elements, `og:` and `article:` meta tags, and WeChat's `var ct` publish time.
/// A page nested absurdly deep (tens of thousands of levels) is refused: Gumbo would take
/// minutes and its recursive clean-up could exhaust the stack.
Expected<Document> read_html(std::string_view bytes, const std::string& source_name, Diagnostics& diags);

/// Reads HTML that stands inside a Markdown article (a table an exporter kept as HTML) into
/// blocks, by the same rules as a page's body. Refused when nested absurdly deep, as pages are.
Expected<Blocks> read_html_fragment(std::string_view html, const std::string& source_name);

}  // namespace inkpack

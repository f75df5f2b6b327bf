#pragma once
// The page a phone opens from the QR code: each book's cover, title, author and size, and a
// download button. Plain HTML and CSS (no script), laid out for a 390-pixel-wide screen.
#include <string>
#include <string_view>
#include <vector>

#include "serve/book_catalog.hpp"

namespace inkpack {

/// The page for these books; links are absolute paths under `token`. Its words are Chinese when
/// the first book is Chinese, else English.
std::string phone_page(const std::vector<ServedBook>& books, std::string_view token);

/// Text safe inside HTML elements and quoted attributes.
std::string escape_html(std::string_view text);

}  // namespace inkpack

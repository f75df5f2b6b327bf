#pragma once
// The addresses `inkpack serve` answers, and nothing else: a secret token first (none with
// --open), then the page, the feed, or a book, its cover or its thumbnail by the book's file
// name. Names are compared with the catalog's, never joined to a folder, so no path can lead
// out of the books.
#include <optional>
#include <string>
#include <string_view>

namespace inkpack {

enum class RouteKind { page, feed, book, cover, thumbnail };

struct Route {
  RouteKind kind = RouteKind::page;
  std::string book;  ///< the file name, decoded; for book, cover and thumbnail
};

/// Characters in the token: 57^8 (about 46 bits) tokens, far too many to try over Wi-Fi.
constexpr std::size_t k_token_length = 8;

/// A random path prefix from the system's random source.
std::string make_token();

/// What a request target (the path as sent, percent-encoded, maybe with a query) asks for;
/// nullopt for anything else: a wrong or missing token, an unknown path, a name holding a
/// slash, "..", NUL.
std::optional<Route> parse_route(std::string_view target, std::string_view token);

/// The absolute path of a resource, percent-encoded: "/k3J9q2ab/books/a%20b.epub".
std::string route_path(std::string_view token, RouteKind kind, std::string_view book = {});

/// Every byte but RFC 3986's unreserved characters (letters, digits, -._~) as %XX.
std::string percent_encode(std::string_view text);

/// "http://192.168.1.23:8765/k3J9q2ab/"; an IPv6 address goes in brackets.
std::string base_url(std::string_view host, int port, std::string_view token);

}  // namespace inkpack

#include "serve/routes.hpp"

#include <cctype>
#include <random>

#include "util/text.hpp"

namespace inkpack {
namespace {

// Letters and digits that cannot be taken for one another when the address is read aloud or
// typed from the screen: no l, I, O, 0 or 1.
constexpr std::string_view k_token_alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

struct Folder {
  RouteKind kind;
  std::string_view name;
};
constexpr Folder k_folders[] = {
    {RouteKind::book, "books/"}, {RouteKind::cover, "covers/"}, {RouteKind::thumbnail, "thumbnails/"}};
constexpr std::string_view k_feed = "opds.xml";

// In time that does not depend on where they differ, so the token cannot be found a character
// at a time by timing answers.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ |= static_cast<unsigned char>(a[i] ^ b[i]);
  return differ == 0;
}

// The path after the token's "/", or nullopt when the token is wrong. "/TOKEN" alone is the page
// too: people type addresses without the last slash.
std::optional<std::string_view> after_token(std::string_view path, std::string_view token) {
  if (!path.starts_with('/')) return std::nullopt;
  path.remove_prefix(1);
  if (token.empty()) return path;
  const std::string_view given = path.substr(0, path.find('/'));
  if (!same_secret(given, token)) return std::nullopt;
  path.remove_prefix(given.size());
  if (path.empty()) return path;
  return path.substr(1);
}

// A book's file name from one path segment: decoded, and nothing that could name another file.
std::optional<std::string> file_name(std::string_view segment) {
  if (segment.empty() || segment.find('/') != std::string_view::npos) return std::nullopt;
  const std::string name = percent_decode(segment);
  if (name == "." || name == ".." || name.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
    return std::nullopt;
  return name;
}

}  // namespace

std::string make_token() {
  std::random_device random;
  std::uniform_int_distribution<std::size_t> pick(0, k_token_alphabet.size() - 1);
  std::string token;
  while (token.size() < k_token_length) token += k_token_alphabet[pick(random)];
  return token;
}

std::optional<Route> parse_route(std::string_view target, std::string_view token) {
  const auto rest = after_token(target.substr(0, target.find('?')), token);
  if (!rest) return std::nullopt;
  if (rest->empty()) return Route{RouteKind::page, {}};
  if (*rest == k_feed) return Route{RouteKind::feed, {}};
  for (const Folder& folder : k_folders) {
    if (!rest->starts_with(folder.name)) continue;
    auto name = file_name(rest->substr(folder.name.size()));
    if (!name) return std::nullopt;
    return Route{folder.kind, std::move(*name)};
  }
  return std::nullopt;
}

std::string route_path(std::string_view token, RouteKind kind, std::string_view book) {
  std::string path = "/";
  if (!token.empty()) path += std::string(token) + "/";
  if (kind == RouteKind::feed) return path + std::string(k_feed);
  for (const Folder& folder : k_folders)
    if (folder.kind == kind) return path + std::string(folder.name) + percent_encode(book);
  return path;
}

std::string percent_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x80 && std::isalnum(byte)) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 15];
    }
  }
  return out;
}

std::string base_url(std::string_view host, int port, std::string_view token) {
  const bool ipv6 = host.find(':') != std::string_view::npos;
  std::string url = "http://" + (ipv6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port) + "/";
  if (!token.empty()) url += std::string(token) + "/";
  return url;
}

}  // namespace inkpack

#include "read/raw_html.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "util/text.hpp"

namespace inkpack {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

struct NamedEntity {
  std::string_view name;
  char32_t code_point;
};
// The references people actually type; md4c only reports names from the HTML5 list, so an
// unlisted one is rare and is left visible rather than guessed.
constexpr std::array<NamedEntity, 40> k_entities = {{
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},    {"nbsp", 0xA0},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009},{"shy", 0xAD},      {"copy", 0xA9},     {"reg", 0xAE},
    {"trade", 0x2122}, {"deg", 0xB0},      {"plusmn", 0xB1},   {"times", 0xD7},
    {"divide", 0xF7},  {"middot", 0xB7},   {"hellip", 0x2026}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},    {"bull", 0x2022},
    {"sect", 0xA7},    {"para", 0xB6},     {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},     {"cent", 0xA2},     {"larr", 0x2190},   {"rarr", 0x2192},
    {"uarr", 0x2191},  {"darr", 0x2193},   {"zwj", 0x200D},    {"zwnj", 0x200C},
}};

std::optional<char32_t> decode_reference(std::string_view body) {
  if (body.empty()) return std::nullopt;
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return std::nullopt;
    char32_t value = 0;
    for (char c : digits) {
      const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                        : hex && std::isxdigit(static_cast<unsigned char>(c)) ? lower(c) - 'a' + 10
                                                                              : -1;
      if (digit < 0) return std::nullopt;
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(digit);
    }
    // Forbidden in XML or not a character: shown as the replacement character.
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) ||
        (value < 0x20 && value != '\t' && value != '\n') || value == 0xFFFE || value == 0xFFFF)
      return char32_t{0xFFFD};
    return value;
  }
  for (const auto& entity : k_entities)
    if (entity.name == body) return entity.code_point;
  return std::nullopt;
}

}  // namespace

std::string HtmlTag::attribute(std::string_view key) const {
  for (const auto& [name, value] : attributes)
    if (name == key) return value;
  return {};
}

std::optional<HtmlTag> parse_html_tag(std::string_view raw) {
  if (raw.size() < 3 || raw.front() != '<' || raw.back() != '>') return std::nullopt;
  std::size_t pos = 1;
  HtmlTag tag;
  if (raw[pos] == '/') {
    tag.closing = true;
    ++pos;
  }
  if (!std::isalpha(static_cast<unsigned char>(raw[pos]))) return std::nullopt;
  while (pos < raw.size() && is_name_char(raw[pos])) tag.name += lower(raw[pos++]);
  const std::size_t end = raw.size() - 1;
  while (pos < end) {
    while (pos < end && is_space(raw[pos])) ++pos;
    if (pos >= end) break;
    if (raw[pos] == '/') {
      tag.self_closing = true;
      ++pos;
      continue;
    }
    std::string name;
    while (pos < end && !is_space(raw[pos]) && raw[pos] != '=' && raw[pos] != '/' &&
           raw[pos] != '>' && raw[pos] != '"' && raw[pos] != '\'')
      name += lower(raw[pos++]);
    if (name.empty()) return std::nullopt;
    while (pos < end && is_space(raw[pos])) ++pos;
    std::string value;
    if (pos < end && raw[pos] == '=') {
      ++pos;
      while (pos < end && is_space(raw[pos])) ++pos;
      if (pos < end && (raw[pos] == '"' || raw[pos] == '\'')) {
        const char quote = raw[pos++];
        const std::size_t close = raw.find(quote, pos);
        if (close == std::string_view::npos || close > end) return std::nullopt;
        value = decode_entities(raw.substr(pos, close - pos));
        pos = close + 1;
      } else {
        const std::size_t start = pos;
        while (pos < end && !is_space(raw[pos])) ++pos;
        value = decode_entities(raw.substr(start, pos - start));
      }
    }
    tag.attributes.emplace_back(std::move(name), std::move(value));
  }
  return tag;
}

TagRole tag_role(std::string_view name) {
  static constexpr std::array<std::string_view, 15> k_inline = {
      "b", "strong", "i", "em", "cite", "dfn", "var", "u", "ins", "s", "del", "strike", "sup", "sub", "a"};
  static constexpr std::array<std::string_view, 15> k_transparent = {
      "span", "font", "small", "big", "mark", "abbr", "time", "code", "kbd", "samp", "q", "bdi",
      "bdo", "tt", "label"};
  static constexpr std::array<std::string_view, 32> k_block = {
      "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "center",
      "blockquote", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
      "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th", "pre"};
  static constexpr std::array<std::string_view, 10> k_dropped = {
      "script", "style", "iframe", "object", "embed", "template", "svg", "math", "head", "title"};
  const auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), name) != list.end(); };
  if (in(k_inline)) return TagRole::inline_container;
  if (in(k_transparent)) return TagRole::transparent;
  if (in(k_block)) return TagRole::block;
  if (in(k_dropped)) return TagRole::dropped;
  if (name == "br") return TagRole::line_break;
  if (name == "img") return TagRole::image;
  if (name == "hr") return TagRole::rule;
  if (name == "wbr" || name == "html" || name == "body" || name == "meta" || name == "link" ||
      name == "source" || name == "audio" || name == "video" || name == "noscript")
    return TagRole::transparent;
  return TagRole::unknown;
}

InlineKind inline_kind(std::string_view name) {
  if (name == "b" || name == "strong") return InlineKind::strong;
  if (name == "u" || name == "ins") return InlineKind::underline;
  if (name == "s" || name == "del" || name == "strike") return InlineKind::strikethrough;
  if (name == "sup") return InlineKind::superscript;
  if (name == "sub") return InlineKind::subscript;
  if (name == "a") return InlineKind::link;
  return InlineKind::emphasis;
}

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) break;
    out.append(text.substr(pos, amp - pos));
    const std::size_t semi = text.find(';', amp);
    std::optional<char32_t> cp;
    if (semi != std::string_view::npos && semi - amp <= 32)
      cp = decode_reference(text.substr(amp + 1, semi - amp - 1));
    if (cp) {
      append_utf8(out, *cp);
      pos = semi + 1;
    } else {
      out += '&';
      pos = amp + 1;
    }
  }
  out.append(text.substr(pos));
  return out;
}

std::vector<std::string_view> tokenize_html(std::string_view html) {
  std::vector<std::string_view> pieces;
  std::size_t text_start = 0, pos = 0;
  auto flush_text = [&](std::size_t end) {
    if (end > text_start) pieces.push_back(html.substr(text_start, end - text_start));
  };
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    std::size_t end = std::string_view::npos;
    if (html.substr(pos).starts_with("<!--")) {
      const std::size_t close = html.find("-->", pos + 4);
      end = close == std::string_view::npos ? html.size() : close + 3;
    } else if (pos + 1 < html.size() &&
               (std::isalpha(static_cast<unsigned char>(html[pos + 1])) || html[pos + 1] == '/' ||
                html[pos + 1] == '!' || html[pos + 1] == '?')) {
      // Skip quoted attribute values, which may hold '>'.
      char quote = 0;
      for (std::size_t i = pos + 1; i < html.size(); ++i) {
        const char c = html[i];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          end = i + 1;
          break;
        } else if (c == '<') {
          break;
        }
      }
    }
    if (end == std::string_view::npos) {
      ++pos;
      continue;
    }
    flush_text(pos);
    pieces.push_back(html.substr(pos, end - pos));
    text_start = pos = end;
  }
  flush_text(html.size());
  return pieces;
}

}  // namespace inkpack

#include "util/text.hpp"

#include <ctime>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace inkpack {
namespace {

constexpr char32_t k_replacement = 0xFFFD;

// Length of the valid UTF-8 sequence at `pos`, or 0 if it is invalid (overlong, surrogate,
// beyond U+10FFFF or truncated).
std::size_t valid_sequence_length(std::string_view s, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  if (byte(pos + 1) < lo || byte(pos + 1) > hi) return 0;
  for (std::size_t i = 2; i < len; ++i)
    if (byte(pos + i) < 0x80 || byte(pos + i) > 0xBF) return 0;
  return len;
}

bool xml_forbidden(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF;
}

}  // namespace

Utf8Repair sanitize_utf8(std::string_view in) {
  Utf8Repair out;
  out.text.reserve(in.size());
  int line = 1;
  std::size_t pos = 0;
  if (in.starts_with("\xEF\xBB\xBF")) pos = 3;
  while (pos < in.size()) {
    if (in[pos] == '\r') {
      out.text += '\n';
      ++line;
      pos += (pos + 1 < in.size() && in[pos + 1] == '\n') ? 2 : 1;
      continue;
    }
    const std::size_t len = valid_sequence_length(in, pos);
    if (len == 0) {
      append_utf8(out.text, k_replacement);
      if (out.bad_lines.empty() || out.bad_lines.back() != line) out.bad_lines.push_back(line);
      ++pos;
      continue;
    }
    std::size_t probe = pos;
    const char32_t cp = next_code_point(in, probe);
    if (xml_forbidden(cp)) {
      append_utf8(out.text, k_replacement);
      if (out.bad_lines.empty() || out.bad_lines.back() != line) out.bad_lines.push_back(line);
    } else {
      out.text.append(in.substr(pos, len));
    }
    if (cp == '\n') ++line;
    pos += len;
  }
  return out;
}

char32_t next_code_point(std::string_view s, std::size_t& pos) {
  const auto b = [&](std::size_t i) -> char32_t {
    return i < s.size() ? static_cast<unsigned char>(s[i]) : 0x80;
  };
  const char32_t lead = b(pos);
  if (lead < 0x80) { pos += 1; return lead; }
  if (lead < 0xE0) { pos += 2; return ((lead & 0x1F) << 6) | (b(pos - 1) & 0x3F); }
  if (lead < 0xF0) {
    pos += 3;
    return ((lead & 0x0F) << 12) | ((b(pos - 2) & 0x3F) << 6) | (b(pos - 1) & 0x3F);
  }
  pos += 4;
  return ((lead & 0x07) << 18) | ((b(pos - 3) & 0x3F) << 12) | ((b(pos - 2) & 0x3F) << 6) |
         (b(pos - 1) & 0x3F);
}

char32_t first_code_point(std::string_view s) {
  std::size_t pos = 0;
  return s.empty() ? 0 : next_code_point(s, pos);
}

char32_t last_code_point(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t start = s.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return next_code_point(s, start);
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t count_code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_unicode_whitespace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

bool is_punctuation(char32_t cp) {
  if (cp < 0x80) return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
                        (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
  return (cp >= 0xA1 && cp <= 0xBF && cp != 0xAA && cp != 0xBA) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
         (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) ||
         (cp >= 0x3014 && cp <= 0x301F) || cp == 0x30FB ||
         (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6B) ||
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

bool is_hangul(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
         (cp >= 0xAC00 && cp <= 0xD7AF);
}

bool is_cjk(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x303E) ||   // radicals, CJK symbols and punctuation
         (cp >= 0x3041 && cp <= 0x33FF) ||   // kana, bopomofo, compatibility
         (cp >= 0x3400 && cp <= 0x4DBF) ||   // extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||   // unified ideographs
         (cp >= 0xF900 && cp <= 0xFAFF) ||   // compatibility ideographs
         (cp >= 0xFE30 && cp <= 0xFE4F) ||   // compatibility forms
         (cp >= 0xFF01 && cp <= 0xFF60) ||   // full-width forms
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_sentence_end(char32_t cp) {
  switch (cp) {
    case U'。': case U'！': case U'？': case U'…': case U'；': case U'!': case U'?':
    case U'.': case U';':
      return true;
    default:
      return false;
  }
}

bool is_cjk_punctuation(char32_t cp) {
  return (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F) ||
         (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE4F) || cp == U'！' || cp == U'（' ||
         cp == U'）' || cp == U'，' || cp == U'．' || cp == U'：' || cp == U'；' || cp == U'？' || cp == U'［' ||
         cp == U'］' || cp == U'｛' || cp == U'｝' || cp == U'～' || (cp >= 0xFF5F && cp <= 0xFF65);
}

bool is_closing_mark(char32_t cp) {
  switch (cp) {
    case U'”': case U'’': case U'」': case U'』': case U'）': case U'》': case U'】': case U'〕': case U'〉':
    case U')': case U']': case U'"': case U'\'':
      return true;
    default:
      return false;
  }
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t next = begin;
    if (!is_unicode_whitespace(next_code_point(text, next))) break;
    begin = next;
  }
  std::size_t end = text.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    std::size_t probe = start;
    if (!is_unicode_whitespace(next_code_point(text, probe))) break;
    end = start;
  }
  return std::string(text.substr(begin, end - begin));
}

bool is_web_url(std::string_view target) {
  return target.starts_with("http://") || target.starts_with("https://");
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < text.size();) width += is_cjk(next_code_point(text, pos)) ? 2 : 1;
  return width;
}

std::string human_size(std::uint64_t bytes) {
  char text[32];
  if (bytes >= 1'000'000) std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  else std::snprintf(text, sizeof text, "%.0f KB", static_cast<double>(bytes) / 1e3);
  return text;
}

std::string percent_decode(std::string_view text) {
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  const auto value = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) && hex(text[i + 2])) {
      out += static_cast<char>(value(text[i + 1]) * 16 + value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string utc_text(std::int64_t seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  return std::string(text, std::strftime(text, sizeof text, format, &tm));
}

}  // namespace inkpack

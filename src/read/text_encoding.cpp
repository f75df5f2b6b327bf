#include "read/text_encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>

#include "util/text.hpp"

namespace inkpack {
namespace {

// The whole input converted, or nullopt at the first byte the encoding cannot read.
std::optional<std::string> convert(std::string_view bytes, const char* from) {
  iconv_t cd = ::iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size(), out_done = 0;
  bool ok = true;
  while (in_left > 0) {
    char* out_at = out.data() + out_done;
    std::size_t out_left = out.size() - out_done;
    const std::size_t result = ::iconv(cd, &in, &in_left, &out_at, &out_left);
    out_done = out.size() - out_left;
    if (result != static_cast<std::size_t>(-1)) continue;
    if (errno != E2BIG) {  // EILSEQ or EINVAL: a byte this encoding does not have
      ok = false;
      break;
    }
    out.resize(out.size() * 2);
  }
  ::iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(out_done);
  return out;
}

// Bytes in well-formed multi-byte UTF-8 sequences against bytes outside any.
bool mostly_not_utf8(std::string_view b) {
  std::size_t good = 0, bad = 0;
  for (std::size_t i = 0; i < b.size();) {
    const auto c = static_cast<unsigned char>(b[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = n > 0 && i + n <= b.size();
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(b[i + k]) >> 6) == 2;
    if (!valid) {
      ++bad;
      ++i;
      continue;
    }
    if (n > 1) good += n;
    i += n;
  }
  return bad > good;
}

// Formats found by their first bytes, so what they are can be said in words.
struct Magic {
  std::string_view bytes;
  const char* what;
};
constexpr Magic k_magic[] = {
    {"PK\x03\x04", "a zip archive, such as an EPUB or a .docx"},
    {"\x89PNG", "a PNG image"},
    {"GIF8", "a GIF image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"%PDF", "a PDF document"},
    {"\x1F\x8B", "a gzip archive"},
    {"\x7F" "ELF", "a program"},
};

// What the bytes look like when they are not text; empty when they may be. Text holds no NUL
// byte but by accident (a few are replaced and reported), while binary files are full of them:
// more than one in a hundred of the first 8 KB is not an accident. UTF-16 (full of NULs too)
// is text when its byte-order mark says so.
std::string binary_kind(std::string_view bytes) {
  for (const Magic& magic : k_magic)
    if (bytes.starts_with(magic.bytes)) return magic.what;
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") return "a WebP image";
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) return {};
  const std::string_view head = bytes.substr(0, 8192);
  if (static_cast<std::size_t>(std::count(head.begin(), head.end(), '\0')) * 100 > head.size())
    return "binary data: it is full of NUL bytes";
  return {};
}

// Only `type/subtype`, in lower case: "Image/PNG; charset=x" is "image/png".
std::string media_type(std::string_view content_type) {
  std::string type = trim(content_type.substr(0, content_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

// A page served as an image or an application's file (XHTML apart) is not an article, whatever
// its first bytes.
bool served_as_binary(const std::string& type) {
  return type.starts_with("image/") || (type.starts_with("application/") && type != "application/xhtml+xml");
}

}  // namespace

Expected<void> require_text_article(std::string_view bytes, const std::string& name, std::string_view content_type) {
  const std::string type = media_type(content_type);
  std::string kind = binary_kind(bytes);
  if (kind.empty() && served_as_binary(type)) kind = "the server says it is " + type;
  if (kind.empty()) return {};
  return fail(name + ": not a text article (" + kind + "); give a Markdown or HTML file");
}

DecodedText decode_text(std::string_view bytes) {
  const bool utf16 = bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
  if (utf16) {
    if (auto text = convert(bytes, "UTF-16")) return {std::move(*text), "UTF-16"};
  } else if (mostly_not_utf8(bytes)) {
    if (auto text = convert(bytes, "GB18030")) return {std::move(*text), "GB18030"};
  }
  return {std::string(bytes), ""};
}

std::string article_text(std::string_view bytes, const std::string& source_name, Diagnostics& diags) {
  const DecodedText decoded = decode_text(bytes);
  if (!decoded.encoding.empty())
    diags.warn(source_name, "not UTF-8: read as " + decoded.encoding + " and converted; check the text");
  Utf8Repair utf8 = sanitize_utf8(decoded.text);
  for (int line : utf8.bad_lines)
    diags.warn(source_name + ":" + std::to_string(line), "invalid UTF-8 or a control character, replaced with U+FFFD");
  return std::move(utf8.text);
}

}  // namespace inkpack

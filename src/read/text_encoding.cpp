#include "read/text_encoding.hpp"

#include <iconv.h>

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

}  // namespace

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

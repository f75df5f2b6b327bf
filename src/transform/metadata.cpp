#include "transform/metadata.hpp"

#include <cstdint>
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "model/walk.hpp"
#include "util/hash.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

struct ScriptCounts {
  std::size_t han = 0, kana = 0, hangul = 0, latin = 0, cyrillic = 0;
};

void count_scripts(const Blocks& blocks, ScriptCounts& counts) {
  for_each_block(blocks, [&](const Block& block) {
    const std::string text = plain_text(block.inlines) + block.text;
    for (std::size_t pos = 0; pos < text.size();) {
      const char32_t cp = next_code_point(text, pos);
      if (cp >= 0x4E00 && cp <= 0x9FFF) ++counts.han;
      else if (cp >= 0x3041 && cp <= 0x30FF) ++counts.kana;
      else if (is_hangul(cp)) ++counts.hangul;
      else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ++counts.latin;
      else if (cp >= 0x0400 && cp <= 0x04FF) ++counts.cyrillic;
    }
  });
}

std::string clean_text(const std::string& text) {
  std::string out = sanitize_utf8(text).text;
  for (char& c : out)
    if (c == '\n' || c == '\t') c = ' ';
  return trim(out);
}

void clean_list(std::vector<std::string>& list) {
  std::vector<std::string> kept;
  for (const std::string& item : list)
    if (std::string clean = clean_text(item); !clean.empty()) kept.push_back(std::move(clean));
  list = std::move(kept);
}

bool is_w3c_date(std::string_view date) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (i >= date.size() || !std::isdigit(static_cast<unsigned char>(date[i]))) return false;
    return true;
  };
  if (date.size() == 4) return digits(0, 4);
  if (date.size() == 7) return digits(0, 4) && date[4] == '-' && digits(5, 2);
  return date.size() == 10 && digits(0, 4) && date[4] == '-' && digits(5, 2) && date[7] == '-' && digits(8, 2);
}

}  // namespace

bool is_language_tag(std::string_view tag) {
  std::size_t start = 0;
  for (std::size_t part = 0; start <= tag.size(); ++part) {
    std::size_t end = tag.find('-', start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view subtag = tag.substr(start, end - start);
    const bool letters = std::all_of(subtag.begin(), subtag.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    const bool alnum = std::all_of(subtag.begin(), subtag.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
    if (part == 0 ? !(letters && subtag.size() >= 2 && subtag.size() <= 3)
                  : !(alnum && !subtag.empty() && subtag.size() <= 8))
      return false;
    start = end + 1;
  }
  return true;
}

void clean_metadata(Metadata& meta, const std::string& source, Diagnostics& diags) {
  for (std::string* field : {&meta.title, &meta.source, &meta.date, &meta.description, &meta.publisher})
    *field = clean_text(*field);
  clean_list(meta.authors);
  for (Contributor& c : meta.contributors) c.name = clean_text(c.name);
  std::erase_if(meta.contributors, [](const Contributor& c) { return c.name.empty(); });
  clean_list(meta.tags);
  meta.language = clean_text(meta.language);
  std::replace(meta.language.begin(), meta.language.end(), '_', '-');
  if (!meta.language.empty() && !is_language_tag(meta.language)) {
    diags.warn(source, "language is not a tag such as zh-CN or en; detecting it instead", meta.language);
    meta.language.clear();
  }
  if (!meta.date.empty() && !is_w3c_date(meta.date)) {
    diags.warn(source, "date is not in the form YYYY-MM-DD; left out", meta.date);
    meta.date.clear();
  }
}

std::string detect_language(const Blocks& blocks) {
  ScriptCounts counts;
  count_scripts(blocks, counts);
  const std::size_t cjk = counts.han + counts.kana + counts.hangul;
  const std::size_t letters = counts.latin + counts.cyrillic;
  // A CJK character carries about a word; letters come five or so to a word.
  if (cjk == 0 || cjk * 5 < letters) return counts.cyrillic > counts.latin ? "ru" : "en";
  if (counts.kana * 10 > counts.han) return "ja";
  if (counts.hangul > counts.han) return "ko";
  return "zh-CN";
}

std::string identifier_for(std::string_view input_bytes) {
  const auto [hi, lo] = hash128(input_bytes);
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const std::uint64_t a = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000008000ULL;
  const std::uint64_t b = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "urn:uuid:%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xFFFF),
                static_cast<unsigned>(a & 0xFFFF), static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buffer;
}

}  // namespace inkpack

#include "transform/metadata.hpp"

#include <cstdint>
#include <cstdio>

#include "util/text.hpp"

namespace inkpack {
namespace {

struct ScriptCounts {
  std::size_t han = 0, kana = 0, hangul = 0, latin = 0;
};

void count_scripts(const Blocks& blocks, ScriptCounts& counts) {
  for (const Block& block : blocks) {
    const std::string text = plain_text(block.inlines) + block.text;
    for (std::size_t pos = 0; pos < text.size();) {
      const char32_t cp = next_code_point(text, pos);
      if (cp >= 0x4E00 && cp <= 0x9FFF) ++counts.han;
      else if (cp >= 0x3041 && cp <= 0x30FF) ++counts.kana;
      else if (is_hangul(cp)) ++counts.hangul;
      else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ++counts.latin;
    }
    count_scripts(block.children, counts);
  }
}

// 64-bit FNV-1a with a seed: two seeds give the 128 bits a UUID needs. Not cryptographic; it
// only has to be stable and spread well.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t hash = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string detect_language(const Blocks& blocks) {
  ScriptCounts counts;
  count_scripts(blocks, counts);
  const std::size_t cjk = counts.han + counts.kana + counts.hangul;
  // A CJK character carries about a word; Latin letters come five or so to a word.
  if (cjk == 0 || cjk * 5 < counts.latin) return "en";
  if (counts.kana * 10 > counts.han) return "ja";
  if (counts.hangul > counts.han) return "ko";
  return "zh-CN";
}

std::string identifier_for(std::string_view input_bytes) {
  const std::uint64_t hi = fnv1a(input_bytes, 0x696e6b7061636b31ULL);
  const std::uint64_t lo = fnv1a(input_bytes, 0x696e6b7061636b32ULL);
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

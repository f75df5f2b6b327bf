#include "image/cover.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "image/codec.hpp"
#include "util/hash.hpp"
#include "util/text.hpp"

#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>

namespace inkpack {
namespace {

struct Rgb {
  unsigned char r, g, b;
};

// Deep, quiet grounds under light text; the title picks one, so a shelf of books is not uniform
// and a book's cover never changes between builds.
constexpr std::array<Rgb, 6> k_grounds{{
    {0x2f, 0x4f, 0x4f}, {0x3b, 0x3a, 0x5c}, {0x5a, 0x3e, 0x36}, {0x28, 0x4b, 0x63}, {0x4a, 0x55, 0x38}, {0x5c, 0x2e, 0x3f}}};
constexpr Rgb k_ink{0xf4, 0xf0, 0xe6};

// Characters that may not start a line (Chinese and Japanese line-breaking rules).
bool closes(char32_t cp) {
  return std::u32string_view(U"，。、；：？！）」』》〉】”’…,.;:?!)]}%").find(cp) != std::u32string_view::npos;
}

class Typesetter {
 public:
  Typesetter(const stbtt_fontinfo& font, Pixels& canvas) : m_font(font), m_canvas(canvas) {}

  float width(const std::u32string& text, float scale) const {
    float w = 0;
    for (char32_t cp : text) w += advance(cp, scale);
    return w;
  }

  // Greedy line filling: a CJK character or a Latin word is the unit, and a closing mark stays
  // with what precedes it. A word wider than the line runs past it, to be cut with an ellipsis.
  std::vector<std::u32string> wrap(const std::u32string& text, float scale, float line_width) const {
    std::vector<std::u32string> lines(1);
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t end = i + 1;
      if (!is_cjk(text[i]) && text[i] != U' ')
        while (end < text.size() && !is_cjk(text[end]) && text[end] != U' ' && !closes(text[end - 1])) ++end;
      while (end < text.size() && closes(text[end])) ++end;
      const std::u32string unit = text.substr(i, end - i);
      if (!lines.back().empty() && width(lines.back() + unit, scale) > line_width) {
        lines.emplace_back();
        if (unit == U" ") {
          i = end;
          continue;
        }
      }
      lines.back() += unit;
      i = end;
    }
    return lines;
  }

  void draw(const std::u32string& line, float scale, float x, float baseline, Rgb ink) {
    std::vector<unsigned char> coverage;
    for (char32_t cp : line) {
      const int glyph = stbtt_FindGlyphIndex(&m_font, static_cast<int>(cp));
      const float shift = x - std::floor(x);
      int x0, y0, x1, y1;
      stbtt_GetGlyphBitmapBoxSubpixel(&m_font, glyph, scale, scale, shift, 0, &x0, &y0, &x1, &y1);
      const int w = x1 - x0, h = y1 - y0;
      if (glyph != 0 && w > 0 && h > 0) {
        coverage.assign(static_cast<std::size_t>(w) * h, 0);
        stbtt_MakeGlyphBitmapSubpixel(&m_font, coverage.data(), w, h, w, scale, scale, shift, 0, glyph);
        blend(coverage, static_cast<int>(std::floor(x)) + x0, static_cast<int>(baseline) + y0, w, h, ink);
      }
      x += advance(cp, scale);
    }
  }

 private:
  float advance(char32_t cp, float scale) const {
    const int glyph = stbtt_FindGlyphIndex(&m_font, static_cast<int>(cp));
    if (glyph == 0) return 0;
    int advance_width = 0, bearing = 0;
    stbtt_GetGlyphHMetrics(&m_font, glyph, &advance_width, &bearing);
    return static_cast<float>(advance_width) * scale;
  }

  void blend(const std::vector<unsigned char>& coverage, int left, int top, int w, int h, Rgb ink) {
    for (int y = std::max(0, -top); y < h && top + y < m_canvas.height; ++y)
      for (int x = std::max(0, -left); x < w && left + x < m_canvas.width; ++x) {
        const int a = coverage[static_cast<std::size_t>(y) * w + x];
        unsigned char* px = &m_canvas.data[(static_cast<std::size_t>(top + y) * m_canvas.width + left + x) * 3];
        px[0] = static_cast<unsigned char>((ink.r * a + px[0] * (255 - a)) / 255);
        px[1] = static_cast<unsigned char>((ink.g * a + px[1] * (255 - a)) / 255);
        px[2] = static_cast<unsigned char>((ink.b * a + px[2] * (255 - a)) / 255);
      }
  }

  const stbtt_fontinfo& m_font;
  Pixels& m_canvas;
};

// More than six lines can never show; a hostile megabyte title must not cost a megabyte of layout.
constexpr std::size_t k_max_cover_characters = 400;

std::u32string decode(std::string_view text) {
  std::u32string out;
  for (std::size_t pos = 0; pos < text.size() && out.size() < k_max_cover_characters;)
    out += next_code_point(text, pos);
  return out;
}

constexpr std::size_t k_max_title_lines = 6;

// The title's size: as large as fits in four lines, down to half; past six lines it is cut.
std::vector<std::u32string> set_title(const Typesetter& type, const std::u32string& title, float& scale,
                                      float line_width) {
  const float largest = scale;
  std::vector<std::u32string> lines = type.wrap(title, scale, line_width);
  while (lines.size() > 4 && scale > largest / 2) lines = type.wrap(title, scale *= 0.9f, line_width);
  const bool cut = lines.size() > k_max_title_lines;
  if (cut) lines.resize(k_max_title_lines);
  for (std::u32string& line : lines) {
    if (!(cut && &line == &lines.back()) && type.width(line, scale) <= line_width) continue;
    while (!line.empty() && type.width(line + U"…", scale) > line_width) line.pop_back();
    line += U"…";
  }
  return lines;
}

}  // namespace

Expected<std::string> render_cover(const CoverText& text, std::string_view font_bytes, const Profile& profile) {
  stbtt_fontinfo font;
  const auto* data = reinterpret_cast<const unsigned char*>(font_bytes.data());
  const bool lettered = !font_bytes.empty();
  if (lettered && (font_bytes.size() < 12 || !stbtt_InitFont(&font, data, stbtt_GetFontOffsetForIndex(data, 0))))
    return fail("the cover's font could not be read");
  const int width = profile.cover_width, height = profile.cover_height;
  Pixels canvas = Pixels::allocate(width, height, 3);
  const Rgb ground = k_grounds[hash_hex(text.title).front() % k_grounds.size()];
  for (std::size_t i = 0; i < canvas.size(); i += 3) {
    canvas.data[i] = ground.r;
    canvas.data[i + 1] = ground.g;
    canvas.data[i + 2] = ground.b;
  }
  const auto finish = [&](const Pixels& pixels) {
    return profile.grey ? encode_jpeg(to_grey(pixels), 90) : encode_jpeg(pixels, 90);
  };
  if (!lettered) return finish(canvas);
  Typesetter type(font, canvas);
  const float margin = width * 0.1f, line_width = width - 2 * margin;
  const auto px = [&](float size) { return stbtt_ScaleForPixelHeight(&font, size); };

  // A short rule above the title, the title from a quarter down, the people under it, the
  // account at the foot.
  const int rule_top = static_cast<int>(height * 0.22f), rule_h = std::max(2, width / 400);
  for (int y = rule_top; y < rule_top + rule_h; ++y)
    for (int x = static_cast<int>(margin); x < static_cast<int>(margin + width * 0.12f); ++x) {
      unsigned char* pixel = &canvas.data[(static_cast<std::size_t>(y) * width + x) * 3];
      pixel[0] = k_ink.r;
      pixel[1] = k_ink.g;
      pixel[2] = k_ink.b;
    }
  float title_size = width * 0.11f, scale = px(title_size);
  const auto title = set_title(type, decode(text.title), scale, line_width);
  title_size *= scale / px(width * 0.11f);
  float baseline = height * 0.28f + title_size;
  for (const std::u32string& line : title) {
    type.draw(line, scale, margin, baseline, k_ink);
    baseline += title_size * 1.3f;
  }
  const auto one_line = [&](const std::string& line, float size, float at) {
    if (line.empty()) return;
    std::u32string set = type.wrap(decode(line), px(size), line_width).front();
    type.draw(set, px(size), margin, at, k_ink);
  };
  one_line(text.people, width * 0.045f, baseline + width * 0.06f);
  one_line(text.publisher, width * 0.038f, height * 0.9f);

  return finish(canvas);
}

}  // namespace inkpack

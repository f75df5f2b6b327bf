#pragma once
// The book's reading font: a catalogue of CJK fonts from Debian's packages (fonts/README.md), and
// HarfBuzz's hb-subset to embed only the glyphs a book uses.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace inkpack {

/// Where a font comes from: a catalogue name resolved to an installed file, or a file given.
struct FontSource {
  std::filesystem::path file;
  unsigned face = 0;    ///< the face inside a collection (.ttc)
  std::string family;   ///< the font's own family name, for the stylesheet's comment and the report
};

/// A family's faces: the regular one, and the bold one where there is one (headings and
/// <strong> then show real bold, not the smeared bold some engines fake, or none, as MuPDF).
struct FontFamily {
  FontSource regular;
  std::optional<FontSource> bold;
};

/// The catalogue's names, in the order `--help` lists them; the first is the default.
std::string font_names();
constexpr std::string_view k_default_font = "wenkai";

/// `spec` is a catalogue name or a font file (.ttf, .otf, .ttc), whose bold face is the file
/// beside it named Bold for Regular, or with -Bold added; "none" gives no font. A collection's
/// face is picked for `language` (Noto CJK: SC for zh-CN, TC for zh-TW, …).
Expected<std::optional<FontFamily>> find_font(std::string_view spec, std::string_view language);

struct EmbeddedFont {
  std::string bytes;       ///< a TrueType or CFF OpenType file holding only the needed glyphs
  std::string media_type;  ///< font/ttf or font/otf, from the bytes
  std::string extension;   ///< ".ttf" or ".otf"
  std::u32string missing;  ///< characters asked for that the font does not have
};

enum class Weight { any, bold };

/// The characters a reader sees in XHTML: text outside tags, entities decoded. With
/// Weight::bold, only those set in bold: inside <strong>, <b>, <h1>–<h6> and <th>.
std::set<char32_t> visible_characters(std::string_view xhtml, Weight weight = Weight::any);

/// Keeps only the glyphs (and the layout rules among them) that `characters` need. Hinting is
/// dropped: CJK fonts' hints are large, and phone and e-ink renderers ignore them.
Expected<EmbeddedFont> subset_font(const FontSource& font, const std::set<char32_t>& characters);

}  // namespace inkpack

#include "style/fonts.hpp"

#include <hb-subset.h>
#include <hb.h>

#include <array>
#include <charconv>
#include <memory>
#include <vector>

#include "util/text.hpp"

namespace inkpack {
namespace {

struct CatalogueEntry {
  std::string_view name;
  std::string_view folder;  ///< with the start of the files' names that all faces share
  std::string_view file;
  std::string_view bold;
  std::string_view package;

  std::string path(std::string_view face_file) const { return std::string(folder) + std::string(face_file); }
};

// Debian's files; fonts/README.md says why each is here and under what licence.
constexpr std::string_view k_wenkai = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-";
constexpr std::string_view k_noto = "/usr/share/fonts/opentype/noto/Noto";
constexpr std::array<CatalogueEntry, 4> k_catalogue{{
    {"wenkai", k_wenkai, "Regular.ttf", "Bold.ttf", "fonts-lxgw-wenkai"},
    {"wenkai-light", k_wenkai, "Light.ttf", "Regular.ttf", "fonts-lxgw-wenkai"},
    {"noto-serif", k_noto, "SerifCJK-Regular.ttc", "SerifCJK-Bold.ttc", "fonts-noto-cjk"},
    {"noto-sans", k_noto, "SansCJK-Regular.ttc", "SansCJK-Bold.ttc", "fonts-noto-cjk"},
}};

template <class T, void (*Destroy)(T*)>
struct HbDeleter {
  void operator()(T* p) const { Destroy(p); }
};
using Blob = std::unique_ptr<hb_blob_t, HbDeleter<hb_blob_t, hb_blob_destroy>>;
using Face = std::unique_ptr<hb_face_t, HbDeleter<hb_face_t, hb_face_destroy>>;
using SubsetInput = std::unique_ptr<hb_subset_input_t, HbDeleter<hb_subset_input_t, hb_subset_input_destroy>>;

// The family name as the stylesheet will quote it: English if the font has it, else its default
// language's; never empty, and without the quotes or backslashes a CSS string cannot hold.
std::string family_name(hb_face_t* face) {
  std::string family;
  for (hb_language_t language : {hb_language_from_string("en", -1), HB_LANGUAGE_INVALID}) {
    char name[256];
    unsigned size = sizeof name;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY, language, &size, name);
    for (char c : std::string_view(name, size))
      if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) family += c;
    if (!family.empty()) return family;
  }
  return "Embedded text font";
}

// Noto CJK collections name their faces by region: "Noto Serif CJK SC", "… TC", "… JP".
std::string_view region_for(std::string_view language) {
  const auto starts = [&](std::string_view prefix) { return language.starts_with(prefix); };
  if (starts("ja")) return " JP";
  if (starts("ko")) return " KR";
  if (starts("zh-HK") || starts("zh-MO") || starts("zh-Hant-HK")) return " HK";
  if (starts("zh-TW") || starts("zh-Hant")) return " TC";
  return " SC";
}

Expected<FontSource> open_font_file(const std::filesystem::path& file, std::string_view language) {
  Blob blob(hb_blob_create_from_file_or_fail(file.c_str()));
  if (!blob) return fail("cannot read the font file " + file.string());
  const unsigned faces = hb_face_count(blob.get());
  if (faces == 0) return fail(file.string() + " is not a TrueType or OpenType font (.ttf, .otf or .ttc)");
  FontSource source{file, 0, {}};
  for (unsigned i = 0; i < faces; ++i) {
    Face face(hb_face_create(blob.get(), i));
    const std::string family = family_name(face.get());
    if (i == 0 || family.ends_with(region_for(language))) source = {file, i, family};
    if (family.ends_with(region_for(language))) break;
  }
  return source;
}

// A family's bold face usually sits beside its regular one under a name that says so:
// DejaVuSerif.ttf and DejaVuSerif-Bold.ttf, LXGWWenKai-Regular.ttf and LXGWWenKai-Bold.ttf.
std::optional<std::filesystem::path> bold_beside(const std::filesystem::path& regular) {
  const std::string stem = regular.stem().string();
  std::vector<std::string> stems{stem + "-Bold", stem + "Bold"};
  if (const auto at = stem.rfind("Regular"); at != std::string::npos)
    stems.insert(stems.begin(), std::string(stem).replace(at, 7, "Bold"));
  for (const std::string& candidate : stems) {
    const auto path = regular.parent_path() / (candidate + regular.extension().string());
    if (std::filesystem::is_regular_file(path)) return path;
  }
  return std::nullopt;
}

// The regular face must open; a bold face that does not is left out (the regular one serves).
Expected<FontFamily> open_family(const std::filesystem::path& regular, const std::optional<std::filesystem::path>& bold,
                                 std::string_view language) {
  auto face = open_font_file(regular, language);
  if (!face) return std::unexpected(face.error());
  FontFamily family{std::move(*face), std::nullopt};
  if (bold)
    if (auto bold_face = open_font_file(*bold, language); bold_face) family.bold = std::move(*bold_face);
  return family;
}

bool is_otf(std::string_view bytes) { return bytes.starts_with("OTTO"); }

}  // namespace

std::string font_names() {
  std::string names;
  for (const CatalogueEntry& entry : k_catalogue) names += (names.empty() ? "" : ", ") + std::string(entry.name);
  return names;
}

Expected<std::optional<FontFamily>> find_font(std::string_view spec, std::string_view language) {
  if (spec == "none") return std::nullopt;
  for (const CatalogueEntry& entry : k_catalogue) {
    if (entry.name != spec) continue;
    const std::string regular = entry.path(entry.file);
    if (!std::filesystem::exists(regular))
      return fail("font \"" + std::string(spec) + "\" is not installed (" + regular + "): install Debian's " +
                  std::string(entry.package) + ", or use --font FILE or --font none");
    return open_family(regular, entry.path(entry.bold), language);
  }
  const std::filesystem::path file(spec);
  if (!std::filesystem::is_regular_file(file))
    return fail("--font " + std::string(spec) + ": neither a font file nor a font inkpack knows; give a file, one of " +
                    font_names() + ", or none",
                ErrorKind::usage);
  auto family = open_family(file, bold_beside(file), language);
  if (!family)
    return fail("--font " + std::string(spec) + ": " + family.error().message + "; give a font file, one of " +
                    font_names() + ", or none",
                ErrorKind::usage);
  return family;
}

std::set<char32_t> visible_characters(std::string_view xhtml, Weight weight) {
  std::set<char32_t> characters;
  int bold_depth = 0;  // open <strong>, <b>, <h1>–<h6>, <th>
  for (std::size_t pos = 0; pos < xhtml.size();) {
    const char c = xhtml[pos];
    if (c == '<') {
      const std::size_t end = std::min(xhtml.find('>', pos), xhtml.size());
      const std::string_view tag = xhtml.substr(pos + 1, end - pos - 1);
      const bool closing = tag.starts_with('/');
      const std::string_view name = tag.substr(closing, tag.find_first_of(" \t\n/", closing) - closing);
      const bool bold = name == "strong" || name == "b" || name == "th" ||
                        (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6');
      if (bold && !tag.ends_with('/')) bold_depth += closing ? -1 : 1;
      pos = end + 1;
      continue;
    }
    if (weight == Weight::bold && bold_depth <= 0) {
      ++pos;
      continue;
    }
    if (c == '&') {
      const std::size_t end = xhtml.find(';', pos);
      if (end != std::string_view::npos && end - pos <= 10) {
        const std::string_view name = xhtml.substr(pos + 1, end - pos - 1);
        std::uint32_t cp = 0;
        if (name == "amp") cp = '&';
        else if (name == "lt") cp = '<';
        else if (name == "gt") cp = '>';
        else if (name == "quot") cp = '"';
        else if (name == "apos") cp = '\'';
        else if (name.starts_with("#x")) std::from_chars(name.data() + 2, name.data() + name.size(), cp, 16);
        else if (name.starts_with('#')) std::from_chars(name.data() + 1, name.data() + name.size(), cp);
        if (cp) characters.insert(static_cast<char32_t>(cp));
        pos = end + 1;
        continue;
      }
    }
    const char32_t cp = next_code_point(xhtml, pos);
    if (cp >= 0x20) characters.insert(cp);
  }
  return characters;
}

Expected<EmbeddedFont> subset_font(const FontSource& font, const std::set<char32_t>& characters) {
  Blob blob(hb_blob_create_from_file_or_fail(font.file.c_str()));
  if (!blob) return fail("cannot read the font file " + font.file.string());
  Face face(hb_face_create(blob.get(), font.face));
  SubsetInput input(hb_subset_input_create_or_fail());
  if (!input) return fail("out of memory subsetting " + font.file.string());

  hb_set_t* font_characters = hb_set_create();
  hb_face_collect_unicodes(face.get(), font_characters);
  EmbeddedFont result;
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (char32_t cp : characters) {
    if (hb_set_has(font_characters, cp)) hb_set_add(unicodes, cp);
    else if (cp > 0x20 && !is_unicode_whitespace(cp)) result.missing.push_back(cp);
  }
  hb_set_destroy(font_characters);
  // The licence and copyright names stay with the glyphs, as the OFL asks.
  hb_set_t* name_ids = hb_subset_input_set(input.get(), HB_SUBSET_SETS_NAME_ID);
  for (hb_codepoint_t id : {HB_OT_NAME_ID_LICENSE, HB_OT_NAME_ID_LICENSE_URL}) hb_set_add(name_ids, id);
  hb_subset_input_set_flags(input.get(), HB_SUBSET_FLAGS_NO_HINTING);

  Face subset(hb_subset_or_fail(face.get(), input.get()));
  if (!subset) return fail("HarfBuzz could not subset " + font.file.string());
  Blob bytes(hb_face_reference_blob(subset.get()));
  unsigned length = 0;
  const char* data = hb_blob_get_data(bytes.get(), &length);
  result.bytes.assign(data, length);
  result.media_type = is_otf(result.bytes) ? "font/otf" : "font/ttf";
  result.extension = is_otf(result.bytes) ? ".otf" : ".ttf";
  return result;
}

}  // namespace inkpack

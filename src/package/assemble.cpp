#include "package/assemble.hpp"

#include <set>

#include "epub/package_writer.hpp"
#include "epub/templates.hpp"
#include "epub/xhtml_writer.hpp"
#include "image/cover.hpp"
#include "limits.hpp"
#include "model/labels.hpp"
#include "style/fonts.hpp"
#include "style/stylesheet.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

// The cover: the user's picture fitted to the profile's cover size, or one typeset from the
// book's title, people and account. Its characters are subset like the book's, so stb_truetype
// reads a font HarfBuzz has rebuilt, not the file as given.
Expected<PackageFile> make_cover(const Document& doc, const PackageOptions& options,
                              const std::optional<FontFamily>& font, Diagnostics& diags) {
  const Profile& profile = options.images.profile;
  PackageFile cover{"cover-image", "images/cover.jpg", "image/jpeg", {}, "cover-image", false};
  if (options.cover) {
    auto bytes = read_file(*options.cover, k_max_image_file_bytes);
    if (!bytes) return fail("--cover: " + bytes.error().message);
    ImagePolicy policy = options.images;
    policy.profile.width = profile.cover_width;
    policy.profile.height = profile.cover_height;
    auto fitted = shrink_image(*bytes, policy);
    if (!fitted)
      return fail("--cover " + options.cover->string() + ": " + fitted.error().message +
                      "; give a PNG, JPEG, GIF or WebP picture, or leave --cover out for a typeset cover",
                  ErrorKind::usage);
    EncodedImage& image = fitted->front();  // a picture taller than two screens keeps its top
    cover.media_type = image.media_type;
    cover.href = image.media_type == "image/png" ? "images/cover.png" : "images/cover.jpg";
    cover.bytes = std::move(image.bytes);
    return cover;
  }
  const Metadata& meta = doc.meta;
  const CoverText text{meta.title, join_names(meta.authors, meta.language), meta.publisher};
  std::optional<FontFamily> face = font;
  if (!face) {
    if (auto fallback = find_font(k_default_font, meta.language); fallback) face = *fallback;
  }
  std::string font_bytes;
  if (face) {
    std::set<char32_t> characters;
    for (const std::string* line : {&text.title, &text.people, &text.publisher})
      for (std::size_t pos = 0; pos < line->size();) characters.insert(next_code_point(*line, pos));
    characters.insert(U'…');
    auto subset = subset_font(face->regular, characters);
    if (!subset) return std::unexpected(subset.error());
    font_bytes = std::move(subset->bytes);
  } else {
    diags.warn("cover", "no font to set the title on the cover with: install fonts-lxgw-wenkai, or give --cover");
  }
  auto jpeg = render_cover(text, font_bytes, profile);
  if (!jpeg) return std::unexpected(jpeg.error());
  cover.bytes = std::move(*jpeg);
  return cover;
}

// One face of the embedded font: every character a reader sees in that weight, and nothing else.
Expected<PackageFile> make_font_face(const FontSource& font, Weight weight, const std::vector<ChapterFile>& chapters,
                                  const std::string& nav, Diagnostics& diags) {
  std::set<char32_t> characters = visible_characters(nav, weight);
  for (const ChapterFile& chapter : chapters) characters.merge(visible_characters(chapter.xhtml, weight));
  // What the reading system draws itself: list numbers and bullets.
  if (weight == Weight::any)
    for (char32_t cp : std::u32string_view(U"0123456789.•◦▪")) characters.insert(cp);
  auto subset = subset_font(font, characters);
  if (!subset) return std::unexpected(subset.error());
  if (!subset->missing.empty()) {
    std::string sample;
    for (std::size_t i = 0; i < subset->missing.size() && i < 20; ++i) append_utf8(sample, subset->missing[i]);
    const std::string message = font.family + " lacks " + std::to_string(subset->missing.size()) + " of the book's " +
                                std::to_string(characters.size()) + " characters, which readers show in their own font: " +
                                sample;
    // A few rare characters are normal; lacking a tenth of them is a font for another script
    // (said once, for the regular face).
    if (weight == Weight::any && subset->missing.size() * 10 > characters.size())
      diags.warn("font", message + " (pick a font for the book's language, e.g. --font " + std::string(k_default_font) + ")");
    else
      diags.note("font", message);
  }
  const std::string name = weight == Weight::bold ? "text-bold" : "text";
  return PackageFile{"font-" + name, "fonts/" + name + subset->extension, subset->media_type, std::move(subset->bytes)};
}

// The files the book's parts come from, beyond the articles and their images.
void add_files_read(std::vector<InputFile>& files, const PackageOptions& options, const Templates& templates,
                    const std::optional<FontFamily>& font) {
  for (const fs::path& file : templates.overrides()) files.push_back({file, "a --templates file"});
  if (options.cover) files.push_back({*options.cover, "the --cover picture"});
  if (options.css) files.push_back({*options.css, "the --css stylesheet"});
  if (font) files.push_back({font->regular.file, "the font file embedded (--font)"});
  if (font && font->bold) files.push_back({font->bold->file, "the bold font file embedded (--font)"});
}

// The reading order: the cover and the title page, then the contents, then the sections. The
// contents is out of the linear order but in the spine because the landmarks link to it
// (EPUBCheck rejects links to files outside the spine, RSC-011); after the cover and the title
// page, as in a printed book, since MuPDF and calibre show non-linear items where they stand.
std::vector<SpineItem> spine_of(const std::vector<ChapterFile>& chapters, const std::vector<PackageFile>& files) {
  std::vector<SpineItem> spine;
  bool nav_placed = false;
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    if (!nav_placed && !chapters[i].cover && !chapters[i].title_page) {
      spine.push_back({"nav", false});
      nav_placed = true;
    }
    spine.push_back({files[i].id, true});
  }
  if (!nav_placed) spine.push_back({"nav", false});
  return spine;
}

std::vector<PackageFile> chapter_files(std::vector<ChapterFile>& chapters) {
  std::vector<PackageFile> files;
  for (std::size_t i = 0; i < chapters.size(); ++i)
    files.push_back({"ch" + std::to_string(i + 1), chapters[i].href, "application/xhtml+xml", std::move(chapters[i].xhtml)});
  return files;
}

std::vector<PackageFile> media_files(const Document& doc) {
  std::vector<PackageFile> files;
  for (std::size_t i = 0; i < doc.media.size(); ++i)
    files.push_back({"img" + std::to_string(i + 1), doc.media[i].href, doc.media[i].media_type, doc.media[i].bytes,
                     nullptr, false});
  return files;
}

}  // namespace

Expected<std::vector<ZipEntry>> assemble_package(const Document& doc, const PackageOptions& options,
                                                 Diagnostics& diags, std::vector<InputFile>* files_read) {
  auto templates = Templates::load(options.templates);
  if (!templates) return std::unexpected(templates.error());
  auto font = find_font(options.font, doc.meta.language);
  if (!font) return std::unexpected(font.error());
  if (files_read) add_files_read(*files_read, options, *templates, *font);
  auto chapters = write_chapters(doc, *templates);
  if (!chapters) return std::unexpected(chapters.error());
  auto title_page = write_title_page(doc, *templates);
  if (!title_page) return std::unexpected(title_page.error());
  auto cover = make_cover(doc, options, *font, diags);
  if (!cover) return std::unexpected(cover.error());
  auto cover_page = write_cover_page(doc, *templates, cover->href);
  if (!cover_page) return std::unexpected(cover_page.error());
  chapters->insert(chapters->begin(), std::move(*title_page));
  chapters->insert(chapters->begin(), std::move(*cover_page));
  std::vector<PackageFile> resources{std::move(*cover)};

  const PackageContents contents{doc, *chapters, utc_text(options.modified, "%Y-%m-%dT%H:%M:%SZ")};
  auto nav = write_nav(*templates, contents);
  if (!nav) return std::unexpected(nav.error());
  std::optional<FontFace> face;
  if (*font) {
    auto regular = make_font_face((*font)->regular, Weight::any, *chapters, *nav, diags);
    if (!regular) return std::unexpected(regular.error());
    face = FontFace{(*font)->regular.family, "../" + regular->href, {}};
    resources.push_back(std::move(*regular));
    if ((*font)->bold) {
      auto bold = make_font_face(*(*font)->bold, Weight::bold, *chapters, *nav, diags);
      if (!bold) return std::unexpected(bold.error());
      face->bold_href = "../" + bold->href;
      resources.push_back(std::move(*bold));
    }
  }
  auto css = make_stylesheet(templates->get("EPUB/styles/book.css"), face, options.css, diags);
  if (!css) return std::unexpected(css.error());
  auto ncx = write_ncx(*templates, contents);
  if (!ncx) return std::unexpected(ncx.error());

  std::vector<PackageFile> files{{"nav", "nav.xhtml", "application/xhtml+xml", std::move(*nav), "nav"},
                                 {"ncx", "toc.ncx", "application/x-dtbncx+xml", std::move(*ncx)},
                                 {"css", "styles/book.css", "text/css", std::move(*css)}};
  std::vector<PackageFile> chapter_parts = chapter_files(*chapters);
  const std::vector<SpineItem> spine = spine_of(*chapters, chapter_parts);
  std::vector<PackageFile> media = media_files(doc);
  for (std::vector<PackageFile>* part : {&chapter_parts, &media, &resources})
    for (PackageFile& file : *part) files.push_back(std::move(file));
  auto container = write_container(*templates);
  if (!container) return std::unexpected(container.error());
  auto opf = write_opf(*templates, contents, files, spine);
  if (!opf) return std::unexpected(opf.error());

  std::vector<ZipEntry> entries{{"mimetype", "application/epub+zip", false},
                                {"META-INF/container.xml", std::move(*container)},
                                {"EPUB/content.opf", std::move(*opf)}};
  for (PackageFile& file : files) entries.push_back({"EPUB/" + file.href, std::move(file.bytes), file.compress});
  return entries;
}

}  // namespace inkpack

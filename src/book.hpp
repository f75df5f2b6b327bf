#pragma once
// The library's front door: articles in, an EPUB out. The CLI only fills BuildOptions.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "image/media_plan.hpp"
#include "model/document.hpp"
#include "style/fonts.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace inkpack {

struct BuildOptions {
  std::vector<std::filesystem::path> inputs;      ///< the articles, in reading order
  bool allow_outside_articles = false;            ///< a manifest may list files outside its folder
  bool sample = false;                            ///< the built-in sample article instead of inputs
  std::optional<std::filesystem::path> output;    ///< default: dist/<title>.epub
  std::string title;
  std::string author;
  std::string language;
  std::vector<std::string> sections;              ///< --sections: titles, or one /regex/
  std::optional<std::filesystem::path> templates; ///< --templates DIR
  bool strict = false;                            ///< warnings fail the build
  bool keep_extras = false;                       ///< keep site chrome, bylines and end matter in the text
  std::optional<std::int64_t> timestamp;          ///< SOURCE_DATE_EPOCH; now if unset
  ImageOptions images;                            ///< fetching, cache, profile
  bool embed_images = true;                       ///< false: leave images out (an outline needs none)
  std::optional<std::uint64_t> max_size;          ///< --max-size: lower image quality until the book fits
  std::string font{k_default_font};                  ///< --font: a catalogue name, a font file, or "none"
  std::optional<std::filesystem::path> css;       ///< --css: appended to the stylesheet
  std::optional<std::filesystem::path> cover;     ///< --cover: a picture; none: one is typeset
};

/// Reads every input and shapes it into the book's document: metadata, sections, embedded images.
/// `report`, if given, receives what became of the images.
Expected<Document> load_document(const BuildOptions& options, Diagnostics& diags, ImageReport* report = nullptr);

/// The EPUB file's bytes for `doc`: its chapters, a cover (given or typeset), a title page, the
/// stylesheet with the embedded font's subset. `files_read`, if given, receives the files these
/// come from (cover, stylesheet, font, templates).
Expected<std::string> write_epub(const Document& doc, const BuildOptions& options, Diagnostics& diags,
                                 std::vector<InputFile>* files_read = nullptr);

struct BuildResult {
  std::filesystem::path output;
  Document doc;
  std::size_t bytes = 0;
  ImageReport images;
  std::string reduction;  ///< how images were reduced to meet --max-size; empty if they were not
  std::optional<std::filesystem::path> taken;  ///< the default path, holding another book, that `output` avoided
};

/// load_document, write_epub, then an atomic write to the output path. With `strict`, any
/// warning fails the build before anything is written. With `max_size`, images are made smaller
/// step by step (lower JPEG quality, then a smaller box) until the book fits; if even the last
/// step does not fit, the book is written with a warning.
Expected<BuildResult> build_book(const BuildOptions& options, Diagnostics& diags);

/// The outline a reader's table of contents will show: the title, then one line per section.
std::string format_outline(const Document& doc);

/// Where a book with this title goes by default.
std::filesystem::path default_output(const std::string& title);

}  // namespace inkpack

#pragma once
// The book's files from its document: chapters, cover, title page, navigation, stylesheet, the
// embedded font's subset and the images, each once, in one list that the package document's
// manifest and the zip are both made from.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "epub/zip_writer.hpp"
#include "image/shrink.hpp"
#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace inkpack {

/// What the book's parts beyond the text are made from.
struct PackageOptions {
  std::optional<std::filesystem::path> templates;  ///< --templates DIR
  std::string font;                                ///< a catalogue name, a font file, or "none"
  std::optional<std::filesystem::path> css;        ///< appended to the stylesheet
  std::optional<std::filesystem::path> cover;      ///< a picture; none: one is typeset
  ImagePolicy images;                              ///< the screen the cover is fitted to
  std::int64_t modified = 0;                       ///< dcterms:modified and every entry's time
};

/// The zip's entries in order: `mimetype` first, container.xml, the package document, then every
/// file its manifest lists. `files_read`, if given, receives the files the parts come from
/// (cover, stylesheet, font, templates).
Expected<std::vector<ZipEntry>> assemble_package(const Document& doc, const PackageOptions& options,
                                                 Diagnostics& diags, std::vector<InputFile>* files_read = nullptr);

}  // namespace inkpack

#pragma once
// The build's inputs as articles: files, standard input, links, the built-in sample, and a
// manifest (book.yaml) standing for the articles it lists. Only bytes and where they came from;
// reading them is read/'s job.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "image/media_plan.hpp"
#include "input/manifest.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace inkpack {

/// One article's bytes, before reading.
struct Article {
  std::string name;          ///< the path or the address (after redirects), for messages and links
  std::string bytes;
  ResourceLoader loader;     ///< the article's local images: relative to its folder, or none for a link
  std::optional<bool> html;  ///< what the server said it is; unset: judged by name and bytes
};

/// What the command line names as the book's articles.
struct InputRequest {
  std::vector<std::filesystem::path> inputs;  ///< files, `-`, links, or one manifest
  bool sample = false;                        ///< the built-in sample article instead
  bool allow_outside_articles = false;        ///< a manifest may list files outside its folder
};

struct Inputs {
  std::vector<Article> articles;        ///< in reading order
  Metadata manifest_meta;               ///< what a manifest said of the book; empty without one
  std::vector<InputFile> files_read;    ///< the manifests and the article files
  std::string fallback_title;           ///< the first file's name, for a book with no title
};

/// The articles, read whole: links fetched through the download cache (`images` says how), a
/// manifest expanded. Errors name the input and what to do.
Expected<Inputs> gather_inputs(const InputRequest& request, const ImageOptions& images, Diagnostics& diags);

}  // namespace inkpack

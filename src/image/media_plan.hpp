#pragma once
// Every image the book refers to, gathered, fetched (concurrently, through the cache), shrunk
// for the profile on a worker pool while downloads continue, deduplicated and numbered in
// reading order. An image that cannot be had stays an Image without media: the writer shows a
// placeholder, and a warning says why.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "image/shrink.hpp"
#include "model/document.hpp"
#include "net/http_client.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace inkpack {

struct Resource {
  std::string key;    ///< identity for deduplication (a canonical path)
  std::string bytes;
  std::filesystem::path file;  ///< the file it was read from; empty for what is built in
};

/// Loads a local file an image reference names, relative to its article.
using ResourceLoader = std::function<Expected<Resource>(const std::string& target)>;

/// A loader for files next to `base_dir`.
ResourceLoader file_loader(const std::string& base_dir);

struct ImageProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t failed = 0;   ///< of those done
  std::uint64_t bytes = 0;  ///< source bytes handled so far
};

struct ImageOptions {
  ImagePolicy policy;
  FetchSettings fetch;
  std::optional<std::filesystem::path> cache_dir;  ///< none: no download cache
  bool offline = false;                            ///< use the cache alone
  bool originals = false;                          ///< WeChat: full-size originals, not /640
  HttpClient* client = nullptr;                    ///< null: libcurl
  /// Called once before the first image is done (done = 0), then as each is done, from any thread.
  std::function<void(const ImageProgress&)> progress;
};

struct ImageReport {
  std::size_t images = 0, fetched = 0, from_cache = 0, local = 0, failed = 0;
  std::uint64_t bytes_before = 0, bytes_after = 0;
  std::vector<InputFile> files_read;  ///< local images
};

/// Where the images of one section come from: its article's folder and name.
struct ImageSource {
  ResourceLoader load_local;
  std::string source_name;
};

/// `sources[i]` belongs to doc.sections[i]. Fills doc.media and each Image's `media`.
ImageReport embed_images(Document& doc, const std::vector<ImageSource>& sources, const ImageOptions& options,
                         Diagnostics& diags);

}  // namespace inkpack

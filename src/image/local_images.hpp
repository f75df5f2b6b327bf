#pragma once
// Embedding the images an article refers to by path. Anything that cannot be embedded stays an
// Image with no media: the writer shows a placeholder, and a warning says why.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/document.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

struct Resource {
  std::string key;    ///< identity for deduplication (a canonical path)
  std::string bytes;
};

/// Loads what an image reference names, relative to its article.
using ResourceLoader = std::function<Expected<Resource>(const std::string& target)>;

/// A loader for files next to `base_dir`.
ResourceLoader file_loader(const std::string& base_dir);

class ImageCollector {
public:
  ImageCollector(std::vector<MediaItem>& media, Diagnostics& diags) : m_media(media), m_diags(diags) {}

  /// Embeds every image in `blocks` that `load` can supply; the same file is stored once.
  void embed(Blocks& blocks, const ResourceLoader& load, const std::string& source_name);

private:
  void embed_one(Inline& image, const ResourceLoader& load, const std::string& source_name);

  std::vector<MediaItem>& m_media;
  Diagnostics& m_diags;
  std::map<std::string, std::size_t> m_by_key;
  std::map<std::string, std::string> m_failed;  // article + target → reason, reported once
};

}  // namespace inkpack

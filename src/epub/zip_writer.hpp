#pragma once
// The OCF container: the only file that talks to libzip.
#include <ctime>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace inkpack {

struct ZipEntry {
  std::string path;
  std::string bytes;
  bool compress = true;  ///< false for `mimetype` and already-compressed images
};

/// Zips `entries` in the given order into memory, every entry stamped with `mtime`, so equal
/// inputs give equal bytes. The first entry should be `mimetype`, uncompressed.
Expected<std::string> zip_entries(const std::vector<ZipEntry>& entries, std::time_t mtime);

}  // namespace inkpack

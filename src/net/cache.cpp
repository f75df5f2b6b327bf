#include "net/cache.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "util/files.hpp"
#include "util/hash.hpp"

namespace inkpack {
namespace fs = std::filesystem;

std::optional<fs::path> DiskCache::default_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return fs::path(xdg) / "inkpack";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "inkpack";
  return std::nullopt;
}

std::optional<std::string> DiskCache::problem() const {
  std::error_code ec;
  const fs::file_status status = fs::status(m_dir, ec);
  if (fs::exists(status) && !fs::is_directory(status)) return "is not a folder";
  if (!fs::exists(status) && !fs::create_directories(m_dir, ec) && ec)
    return "cannot be created (" + ec.message() + ")";
  if (::access(m_dir.c_str(), R_OK | W_OK | X_OK) != 0)
    return "cannot be read and written (" + std::string(std::strerror(errno)) + ")";
  return std::nullopt;
}

fs::path DiskCache::path_for(const std::string& url, const char* suffix) const {
  const std::string key = hash_hex(url);
  return m_dir / "http" / key.substr(0, 2) / (key + suffix);
}

std::optional<CachedResponse> DiskCache::get(const std::string& url, bool with_body) const {
  auto meta = read_file(path_for(url, ".meta"));
  if (!meta) return std::nullopt;
  CachedResponse response;
  std::istringstream lines(*meta);
  std::string line, stored_url;
  while (std::getline(lines, line)) {
    const auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon), value = line.substr(colon + 2);
    if (key == "url") stored_url = value;
    else if (key == "content-type") response.content_type = value;
    else if (key == "etag") response.etag = value;
    else if (key == "last-modified") response.last_modified = value;
    else if (key == "fetched-at") response.fetched_at = std::atoll(value.c_str());
    else if (key == "size") response.size = std::strtoull(value.c_str(), nullptr, 10);
    else if (key == "hash") response.hash = value;
    else if (key == "location") response.location = value;
  }
  if (stored_url != url) return std::nullopt;  // a hash collision, or a damaged entry
  if (!with_body) return response;
  auto body = read_file(path_for(url, ".body"));
  if (!body) return std::nullopt;
  response.body = std::move(*body);
  if (response.body.size() != response.size || hash_hex(response.body) != response.hash)
    return std::nullopt;  // a damaged entry
  return response;
}

bool DiskCache::put(const std::string& url, const CachedResponse& r) const {
  // Header values cannot hold line breaks, but a URL from an article could.
  if (url.find('\n') != std::string::npos || r.location.find('\n') != std::string::npos) return false;
  const std::string meta = "url: " + url + "\ncontent-type: " + r.content_type + "\netag: " + r.etag +
                           "\nlast-modified: " + r.last_modified + "\nfetched-at: " + std::to_string(r.fetched_at) +
                           "\nsize: " + std::to_string(r.body.size()) + "\nhash: " + r.hash + "\nlocation: " +
                           r.location + "\n";
  // Body first: a metadata file is only ever found next to a complete body. Not synced: after a
  // crash a torn entry fails its size and hash check and is fetched again.
  return write_file_atomically(path_for(url, ".body"), r.body, false) &&
         write_file_atomically(path_for(url, ".meta"), meta, false);
}

void DiskCache::forget(const std::string& url) const {
  std::error_code ec;
  fs::remove(path_for(url, ".meta"), ec);
}

std::optional<std::string> DiskCache::get_derived(const std::string& key) const {
  auto bytes = read_file(m_dir / "derived" / key.substr(0, 2) / key);
  if (!bytes) return std::nullopt;
  return std::move(*bytes);
}

void DiskCache::put_derived(const std::string& key, const std::string& bytes) const {
  (void)write_file_atomically(m_dir / "derived" / key.substr(0, 2) / key, bytes, false);
}

}  // namespace inkpack

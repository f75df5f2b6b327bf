#pragma once
// The persistent download cache: one body and one small metadata file per URL, so a rebuild, or a
// build for another device profile, needs no network.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace inkpack {

struct CachedResponse {
  std::string body;
  std::string content_type, etag, last_modified;
  std::int64_t fetched_at = 0;  ///< seconds since the epoch
  std::uint64_t size = 0;       ///< of the body, known even when the body was not read
  std::string hash;             ///< of the body (hash_hex), known even when it was not read
  std::string location;         ///< where the body was found after redirects; empty: at the URL
};

class DiskCache {
public:
  /// $XDG_CACHE_HOME/inkpack, else ~/.cache/inkpack; nullopt if neither can be known.
  static std::optional<std::filesystem::path> default_dir();

  explicit DiskCache(std::filesystem::path dir) : m_dir(std::move(dir)) {}

  /// Why the cache cannot be used (a file where its folder should be, a folder that cannot be
  /// created, read or written), else nullopt; creates the folder when it is missing. Every other
  /// call treats a failure as a miss, so without this a build would never say the cache is lost.
  std::optional<std::string> problem() const;

  /// The cached response for `url`; without `with_body`, only its metadata (cheap).
  std::optional<CachedResponse> get(const std::string& url, bool with_body = true) const;
  /// Stores atomically (`response.hash` must be the body's); false on a failure (full disk,
  /// read-only cache), which only costs the next build a download.
  bool put(const std::string& url, const CachedResponse& response) const;

  /// Drops the entry for `url`, so the next build downloads it again.
  void forget(const std::string& url) const;

  /// Derived data (a shrunk image) stored under `key`, a hash of everything it depends on.
  std::optional<std::string> get_derived(const std::string& key) const;
  void put_derived(const std::string& key, const std::string& bytes) const;

private:
  std::filesystem::path path_for(const std::string& url, const char* suffix) const;
  std::filesystem::path m_dir;
};

}  // namespace inkpack

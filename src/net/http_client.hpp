#pragma once
// Downloading: an interface, so tests and the rest of the code never depend on libcurl, and a
// real implementation in curl_http_client.cpp (the only file that includes curl.h).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace inkpack {

struct FetchRequest {
  std::string url;
  std::string etag;            ///< validators of a cached copy: 304 means the copy is current
  std::string last_modified;
};

/// Why a fetch failed; `none` when it did not. Absent (404) and failed (timeout) stay apart.
enum class FetchFailure { none, http_status, timeout, network, too_large, redirect };

struct FetchResult {
  FetchFailure failure = FetchFailure::none;
  std::string message;         ///< for a failure: what a user reads
  long status = 0;
  bool not_modified = false;   ///< 304: the cached copy is current
  std::string body;
  std::string content_type, etag, last_modified;
  std::string effective_url;   ///< where the body came from, after redirects
  int attempts = 0;
};

struct FetchSettings {
  int jobs = 8;                          ///< transfers at once
  int per_host = 6;                      ///< connections to one host at once
  long connect_timeout_ms = 10'000;
  long low_speed_bytes = 1024;           ///< slower than this for low_speed_seconds: time-out
  long low_speed_seconds = 15;
  long total_timeout_ms = 120'000;
  std::size_t max_bytes = 20u << 20;     ///< per response body
  int retries = 3;                       ///< after the first attempt, on time-outs, 5xx and 429
  long backoff_ms = 500;                 ///< doubled on each retry
  long max_retry_after_ms = 30'000;      ///< cap on a server's Retry-After
};

class HttpClient {
public:
  /// Called on the fetching thread as each request finishes, in completion order.
  using Done = std::function<void(std::size_t index, FetchResult result)>;
  virtual ~HttpClient() = default;
  virtual void fetch_all(const std::vector<FetchRequest>& requests, const FetchSettings& settings,
                         const Done& done) = 0;
};

std::unique_ptr<HttpClient> make_curl_client();

}  // namespace inkpack

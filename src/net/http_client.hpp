#pragma once
// Downloading, in two layers. An HttpClient makes single attempts, bounded by the limits it is
// given (curl_http_client.cpp, the only file that includes curl.h; tests use a fake one).
// fetch_all decides what to attempt and when: how many at once, one deadline per request,
// retries, Retry-After, and hosts that cannot be reached at all.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "limits.hpp"

namespace inkpack {

using FetchClock = std::chrono::steady_clock;

struct FetchRequest {
  std::string url;
  std::string etag;            ///< validators of a cached copy: 304 means the copy is current
  std::string last_modified;
};

/// Why a fetch failed; `none` when it did not. Absent (404) and failed (timeout) stay apart;
/// `unreachable` (the host does not resolve or refuses connections) holds for the whole host.
enum class FetchFailure { none, http_status, timeout, network, unreachable, too_large, redirect };

struct FetchResult {
  FetchFailure failure = FetchFailure::none;
  std::string message;         ///< for a failure: what a user reads
  std::string host;            ///< for `unreachable`: the host (and port) that could not be reached
  long status = 0;
  bool not_modified = false;   ///< 304: the cached copy is current
  std::string body;
  std::string content_type, etag, last_modified;
  std::string effective_url;   ///< where the body came from, after redirects
  std::optional<std::chrono::milliseconds> retry_after;  ///< the server's Retry-After
  int attempts = 0;
};

/// How long one download may take, every attempt and wait included (--timeout).
inline constexpr std::chrono::seconds k_default_fetch_deadline{30};

struct FetchSettings {
  int jobs = 8;                          ///< transfers at once
  int per_host = 6;                      ///< transfers to one host at once
  std::chrono::milliseconds deadline = k_default_fetch_deadline;  ///< per request, from its first attempt
  std::chrono::milliseconds connect_timeout{10'000};
  long low_speed_bytes = 1024;           ///< slower than this for low_speed_seconds: time-out
  long low_speed_seconds = 15;
  std::size_t max_bytes = k_max_download_bytes;  ///< per response body
  int retries = 3;                       ///< after the first attempt, on time-outs, 5xx and 429
  std::chrono::milliseconds backoff{500};  ///< doubled on each retry
};

/// The bounds of one attempt.
struct AttemptLimits {
  std::chrono::milliseconds total;       ///< the whole attempt, connecting included
  std::chrono::milliseconds connect;
  long low_speed_bytes = 0;
  long low_speed_seconds = 0;
  std::size_t max_bytes = 0;
};

class HttpClient {
public:
  struct Finished {
    std::size_t id;
    FetchResult result;
  };
  virtual ~HttpClient() = default;
  /// Starts one attempt; its result comes out of a later `wait` under the same id.
  virtual void start(std::size_t id, const FetchRequest& request, const AttemptLimits& limits) = 0;
  /// The attempts that have finished; waits for one until `until` at most.
  virtual std::vector<Finished> wait(FetchClock::time_point until) = 0;
};

std::unique_ptr<HttpClient> make_curl_client();

/// Called on the fetching thread as each request is settled, in completion order.
using FetchDone = std::function<void(std::size_t index, FetchResult result)>;

/// Fetches `requests` through `client`. Each request gets `settings.deadline` from its first
/// attempt; transient failures are retried within it. Once a host does not resolve or refuses
/// a connection, its remaining requests fail without being attempted.
void fetch_all(HttpClient& client, const std::vector<FetchRequest>& requests, const FetchSettings& settings,
               const FetchDone& done);

}  // namespace inkpack

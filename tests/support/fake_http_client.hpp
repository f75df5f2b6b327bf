#pragma once
// An HttpClient for tests: no network, each attempt's answer scripted by address and attempt
// number, and every attempt recorded, so a test asserts what fetch_all attempted and with which
// limits rather than how long anything took.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.hpp"

namespace inkpack::test {

/// What one attempt meets, reported the way the curl client reports it.
struct Answer {
  FetchResult result;
  /// How long the server takes to answer; none: it never does. Either way an attempt ends, timed
  /// out, when its own limit (AttemptLimits::total) is reached first.
  std::optional<std::chrono::milliseconds> takes = std::chrono::milliseconds(1);

  static Answer ok(std::string body = "fine", std::string content_type = "image/png");
  /// `retry_after`: the server's Retry-After header.
  static Answer status(long code, std::optional<std::chrono::milliseconds> retry_after = std::nullopt);
  static Answer dns_failure(const std::string& host);
  static Answer connection_refused(const std::string& host);
  /// A connection that breaks mid-answer: transient, worth another attempt.
  static Answer reset();
  /// A server that accepts the connection and never answers. With `takes` set, one too slow
  /// for the low-speed limit: the attempt times out then.
  static Answer stall();
};

class FakeHttpClient final : public HttpClient {
public:
  using Script = std::function<Answer(const std::string& url, int attempt)>;

  struct Attempt {
    FetchRequest request;
    int number;  ///< 1 for the first attempt at its address
    AttemptLimits limits;
    FetchClock::time_point at;
    std::size_t in_flight;          ///< attempts running as it started, itself included
    std::size_t in_flight_to_host;  ///< of those, to its host
  };

  explicit FakeHttpClient(Script script) : m_script(std::move(script)) {}

  void start(std::size_t id, const FetchRequest& request, const AttemptLimits& limits) override;
  std::vector<Finished> wait(FetchClock::time_point until) override;

  const std::vector<Attempt>& attempts() const { return m_attempts; }
  int attempts_at(const std::string& url) const;
  std::size_t attempts_on(const std::string& host) const;

private:
  struct Running {
    std::size_t id;
    std::string host;
    FetchClock::time_point ends;
    FetchResult result;
  };
  Script m_script;
  std::map<std::string, int> m_numbers;  // attempts per address
  std::vector<Attempt> m_attempts;
  std::vector<Running> m_running;
};

}  // namespace inkpack::test

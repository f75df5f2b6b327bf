#include "support/fake_http_client.hpp"

#include <algorithm>
#include <thread>

#include "net/image_urls.hpp"

namespace inkpack::test {
namespace {

using std::chrono::milliseconds;

Answer failure(FetchFailure kind, std::string message) {
  Answer answer;
  answer.result.failure = kind;
  answer.result.message = std::move(message);
  return answer;
}

Answer unreachable(const std::string& host, const std::string& why) {
  Answer answer = failure(FetchFailure::unreachable, why + host);
  answer.result.host = host;
  return answer;
}

// What the curl client reports when an attempt's limits cut it short.
FetchResult timed_out() { return failure(FetchFailure::timeout, "Timeout was reached").result; }

FetchResult too_large(std::size_t max_bytes) {
  return failure(FetchFailure::too_large, "larger than " + std::to_string(max_bytes) + " bytes").result;
}

}  // namespace

Answer Answer::ok(std::string body, std::string content_type) {
  Answer answer;
  answer.result.status = 200;
  answer.result.body = std::move(body);
  answer.result.content_type = std::move(content_type);
  return answer;
}

Answer Answer::status(long code, std::optional<milliseconds> retry_after) {
  Answer answer = failure(FetchFailure::http_status, "HTTP " + std::to_string(code));
  answer.result.status = code;
  answer.result.retry_after = retry_after;
  return answer;
}

Answer Answer::dns_failure(const std::string& host) { return unreachable(host, "could not resolve "); }

Answer Answer::connection_refused(const std::string& host) { return unreachable(host, "could not connect to "); }

Answer Answer::reset() { return failure(FetchFailure::network, "Connection reset by peer"); }

Answer Answer::stall() {
  Answer answer{timed_out()};
  answer.takes.reset();
  return answer;
}

void FakeHttpClient::start(std::size_t id, const FetchRequest& request, const AttemptLimits& limits) {
  const int number = ++m_numbers[request.url];
  Answer answer = m_script(request.url, number);
  const auto now = FetchClock::now();
  const std::string host = url_authority(request.url);
  const auto to_host = std::count_if(m_running.begin(), m_running.end(), [&](const Running& r) { return r.host == host; });
  m_attempts.push_back({request, number, limits, now, m_running.size() + 1, static_cast<std::size_t>(to_host) + 1});
  if (!answer.takes || *answer.takes > limits.total) {
    m_running.push_back({id, host, now + limits.total, timed_out()});
    return;
  }
  if (answer.result.body.size() > limits.max_bytes) answer.result = too_large(limits.max_bytes);
  m_running.push_back({id, host, now + *answer.takes, std::move(answer.result)});
}

std::vector<HttpClient::Finished> FakeHttpClient::wait(FetchClock::time_point until) {
  auto first = until;
  for (const Running& r : m_running) first = std::min(first, r.ends);
  std::this_thread::sleep_until(first);
  std::vector<Finished> finished;
  const auto now = FetchClock::now();
  std::erase_if(m_running, [&](Running& r) {
    if (r.ends > now) return false;
    finished.push_back({r.id, std::move(r.result)});
    return true;
  });
  return finished;
}

int FakeHttpClient::attempts_at(const std::string& url) const {
  const auto found = m_numbers.find(url);
  return found == m_numbers.end() ? 0 : found->second;
}

std::size_t FakeHttpClient::attempts_on(const std::string& host) const {
  return std::count_if(m_attempts.begin(), m_attempts.end(),
                       [&](const Attempt& a) { return url_authority(a.request.url) == host; });
}

}  // namespace inkpack::test

// fetch_all: what to attempt and when. The HttpClient only makes the attempts.
#include <algorithm>
#include <cstdio>
#include <list>
#include <unordered_map>

#include "net/http_client.hpp"
#include "net/image_urls.hpp"

namespace inkpack {
namespace {

using std::chrono::milliseconds;

// One request across its attempts.
struct Job {
  std::string host;
  int* host_running = nullptr;        // attempts in flight to its host
  int attempts = 0;
  FetchClock::time_point deadline;    // from the first attempt: time queued behind others is not its own
  FetchClock::time_point not_before;
  FetchResult last;                   // of the attempt before a retry: reported if time runs out first
};

bool transient(const FetchResult& r) {
  return r.failure == FetchFailure::timeout || r.failure == FetchFailure::network ||
         (r.failure == FetchFailure::http_status && (r.status >= 500 || r.status == 429));
}

std::string seconds_text(milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g s", static_cast<double>(duration.count()) / 1000);
  return text;
}

class Scheduler {
public:
  Scheduler(HttpClient& client, const std::vector<FetchRequest>& requests, const FetchSettings& settings,
            const FetchDone& done)
      : m_client(client), m_requests(requests), m_settings(settings), m_done(done), m_jobs(requests.size()) {
    for (std::size_t id = 0; id < requests.size(); ++id) {
      m_jobs[id].host = url_authority(requests[id].url);
      m_jobs[id].host_running = &m_running_per_host[m_jobs[id].host];
      m_waiting.push_back(id);
    }
  }

  void run() {
    for (;;) {
      start_ready();
      if (m_running == 0 && m_waiting.empty()) return;
      for (HttpClient::Finished& finished : m_client.wait(next_wake())) settle(finished.id, std::move(finished.result));
    }
  }

private:
  void start_ready() {
    const auto now = FetchClock::now();
    for (auto it = m_waiting.begin(); it != m_waiting.end() && m_running < m_settings.jobs;) {
      Job& job = m_jobs[*it];
      if (job.not_before > now || *job.host_running >= m_settings.per_host) {
        ++it;
        continue;
      }
      // A retry that waited for a free slot past its deadline is not attempted.
      if (job.attempts > 0 && now >= job.deadline) {
        out_of_time(job.last);
        m_done(*it, std::move(job.last));
      } else {
        start(*it, now);
      }
      it = m_waiting.erase(it);
    }
  }

  void start(std::size_t id, FetchClock::time_point now) {
    Job& job = m_jobs[id];
    if (job.attempts++ == 0) job.deadline = now + m_settings.deadline;
    // At least a millisecond: curl reads 0 as no limit at all.
    const milliseconds left = std::max(std::chrono::duration_cast<milliseconds>(job.deadline - now), milliseconds(1));
    ++m_running;
    ++*job.host_running;
    m_client.start(id, m_requests[id],
                   {left, std::min(m_settings.connect_timeout, left), m_settings.low_speed_bytes,
                    m_settings.low_speed_seconds, m_settings.max_bytes});
  }

  // Until the next retry is due, if a slot is free for it; attempts in flight end by their own limits.
  FetchClock::time_point next_wake() const {
    auto wake = FetchClock::now() + std::chrono::seconds(1);
    if (m_running < m_settings.jobs)
      for (std::size_t id : m_waiting) wake = std::min(wake, m_jobs[id].not_before);
    return wake;
  }

  void settle(std::size_t id, FetchResult result) {
    Job& job = m_jobs[id];
    --m_running;
    --*job.host_running;
    result.attempts = job.attempts;
    if (result.failure == FetchFailure::unreachable) return give_up_host(id, std::move(result));
    const auto now = FetchClock::now();
    if (const auto delay = retry_delay(job, result); delay && now + *delay < job.deadline) {
      job.not_before = now + *delay;
      job.last = std::move(result);
      m_waiting.push_back(id);
      return;
    } else if (delay) {
      out_of_time(result);
    }
    m_done(id, std::move(result));
  }

  // How long to wait before trying again, if the failure is worth another attempt.
  std::optional<milliseconds> retry_delay(const Job& job, const FetchResult& r) const {
    if (!transient(r) || job.attempts > m_settings.retries) return std::nullopt;
    return r.retry_after.value_or(m_settings.backoff * (1 << std::min(job.attempts - 1, 16)));
  }

  // The deadline is the user's to raise, so a failure it cut short names it.
  void out_of_time(FetchResult& r) const {
    const std::string deadline = "the --timeout deadline of " + seconds_text(m_settings.deadline);
    if (r.failure == FetchFailure::timeout)
      r.message = "no complete answer within " + deadline;
    else if (r.retry_after)
      r.message += "; the server asked to wait " + seconds_text(*r.retry_after) + ", past " + deadline;
  }

  // A host that does not resolve or refuses connections will not do better for the next image:
  // its waiting requests fail now, unattempted, for the same reason.
  void give_up_host(std::size_t id, FetchResult result) {
    const std::string host = result.host.empty() ? m_jobs[id].host : result.host;
    const FetchResult& reason = m_unreachable.try_emplace(host, result).first->second;
    m_done(id, std::move(result));
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
      if (m_jobs[*it].host != host) {
        ++it;
        continue;
      }
      FetchResult skipped = reason;
      skipped.attempts = m_jobs[*it].attempts;
      m_done(*it, std::move(skipped));
      it = m_waiting.erase(it);
    }
  }

  HttpClient& m_client;
  const std::vector<FetchRequest>& m_requests;
  const FetchSettings& m_settings;
  const FetchDone& m_done;
  std::vector<Job> m_jobs;
  std::list<std::size_t> m_waiting;  // in request order, retries at the back
  std::unordered_map<std::string, int> m_running_per_host;
  std::unordered_map<std::string, FetchResult> m_unreachable;  // host: why
  int m_running = 0;
};

}  // namespace

void fetch_all(HttpClient& client, const std::vector<FetchRequest>& requests, const FetchSettings& settings,
               const FetchDone& done) {
  Scheduler(client, requests, settings, done).run();
}

}  // namespace inkpack

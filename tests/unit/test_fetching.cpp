// fetch_all's rules — one deadline per request, retries within it, Retry-After, hosts that cannot
// be reached — against a fake HttpClient: no network, each attempt's outcome scripted.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <thread>

#include "image/codec.hpp"
#include "net/image_urls.hpp"
#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

struct Outcome {
  FetchResult result;
  std::optional<milliseconds> takes;  ///< none: a stalled server, the attempt uses all its time
};

Outcome ok(std::string body = "fine") {
  FetchResult r;
  r.status = 200;
  r.body = std::move(body);
  return {r, 1ms};
}

Outcome status(long code, std::optional<milliseconds> retry_after = std::nullopt) {
  FetchResult r;
  r.failure = FetchFailure::http_status;
  r.status = code;
  r.message = "HTTP " + std::to_string(code);
  r.retry_after = retry_after;
  return {r, 1ms};
}

Outcome unreachable(const std::string& host) {
  FetchResult r;
  r.failure = FetchFailure::unreachable;
  r.host = host;
  r.message = "could not resolve " + host;
  return {r, 1ms};
}

Outcome timed_out(std::optional<milliseconds> after) {
  FetchResult r;
  r.failure = FetchFailure::timeout;
  r.message = "Timeout was reached";
  return {r, after};
}

// Answers each attempt from `script` (address, attempt number), after the time the outcome
// takes, and records every attempt started.
class FakeClient final : public HttpClient {
public:
  struct Started {
    std::string url;
    AttemptLimits limits;
    FetchClock::time_point at;
  };

  explicit FakeClient(std::function<Outcome(const std::string& url, int attempt)> script) : m_script(std::move(script)) {}

  void start(std::size_t id, const FetchRequest& request, const AttemptLimits& limits) override {
    Outcome outcome = m_script(request.url, ++m_attempts[request.url]);
    const auto now = FetchClock::now();
    started.push_back({request.url, limits, now});
    m_running.push_back({id, now + outcome.takes.value_or(limits.total), std::move(outcome.result)});
  }

  std::vector<Finished> wait(FetchClock::time_point until) override {
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

  int attempts(const std::string& url) const { return m_attempts.contains(url) ? m_attempts.at(url) : 0; }
  std::size_t attempts_on(const std::string& host) const {
    return std::count_if(started.begin(), started.end(),
                         [&](const Started& s) { return s.url.find("//" + host + "/") != std::string::npos; });
  }

  std::vector<Started> started;

private:
  struct Running {
    std::size_t id;
    FetchClock::time_point ends;
    FetchResult result;
  };
  std::function<Outcome(const std::string&, int)> m_script;
  std::map<std::string, int> m_attempts;
  std::vector<Running> m_running;
};

std::vector<FetchRequest> requests_for(const std::vector<std::string>& urls) {
  std::vector<FetchRequest> requests;
  for (const std::string& url : urls) requests.push_back({url, {}, {}});
  return requests;
}

// Every result by index, and how long fetch_all took.
struct Fetched {
  std::vector<FetchResult> results;
  milliseconds took;
};

Fetched fetch(FakeClient& client, const std::vector<std::string>& urls, const FetchSettings& settings) {
  Fetched out{std::vector<FetchResult>(urls.size()), {}};
  std::vector<int> settled(urls.size());
  const auto start = FetchClock::now();
  fetch_all(client, requests_for(urls), settings, [&](std::size_t i, FetchResult r) {
    ++settled[i];
    out.results[i] = std::move(r);
  });
  out.took = std::chrono::duration_cast<milliseconds>(FetchClock::now() - start);
  for (int n : settled) REQUIRE(n == 1);  // each request settled exactly once
  return out;
}

std::string host_of(const std::string& url) { return url.substr(7, url.find('/', 7) - 7); }

}  // namespace

TEST_CASE("fetch_all, a host that does not resolve fails once for all its requests, none retried", "[net]") {
  FakeClient client([](const std::string& url, int) {
    return host_of(url) == "img.invalid" ? unreachable("img.invalid") : ok();
  });
  std::vector<std::string> urls;
  for (int i = 0; i < 500; ++i) urls.push_back("http://img.invalid/" + std::to_string(i) + ".png");
  urls.push_back("http://good.test/a.png");
  const FetchSettings settings;
  const Fetched f = fetch(client, urls, settings);

  // Only the first round to the host is attempted, before its answer is known; none twice.
  CHECK(client.attempts_on("img.invalid") <= static_cast<std::size_t>(settings.per_host));
  for (std::size_t i = 0; i < 500; ++i) {
    INFO(urls[i]);
    CHECK(f.results[i].failure == FetchFailure::unreachable);
    CHECK(f.results[i].host == "img.invalid");
    CHECK(f.results[i].message == "could not resolve img.invalid");
    CHECK(client.attempts(urls[i]) <= 1);
  }
  CHECK(f.results.back().failure == FetchFailure::none);
  CHECK(f.took < 1s);
}

TEST_CASE("fetch_all, a refused port fails its own requests, not another port's on the same machine", "[net]") {
  FakeClient client([](const std::string& url, int) {
    return host_of(url) == "127.0.0.1:9" ? unreachable("127.0.0.1:9") : ok();
  });
  std::vector<std::string> urls;
  for (int i = 0; i < 20; ++i) {
    urls.push_back("http://127.0.0.1:9/" + std::to_string(i));
    urls.push_back("http://127.0.0.1:8080/" + std::to_string(i));
  }
  const Fetched f = fetch(client, urls, {});
  for (std::size_t i = 0; i < urls.size(); ++i) {
    INFO(urls[i]);
    CHECK((f.results[i].failure == FetchFailure::unreachable) == (i % 2 == 0));
  }
  CHECK(client.attempts_on("127.0.0.1:8080") == 20);
}

TEST_CASE("fetch_all, a stalled server gets one attempt with the whole deadline, then a message naming it", "[net]") {
  FakeClient client([](const std::string&, int) { return timed_out(std::nullopt); });
  FetchSettings settings;
  settings.deadline = 300ms;
  const Fetched f = fetch(client, {"http://stalled.test/a.png"}, settings);
  REQUIRE(client.started.size() == 1);
  CHECK(client.started[0].limits.total == 300ms);
  CHECK(client.started[0].limits.connect <= 300ms);  // not the 10 s connect time-out
  CHECK(f.took >= 300ms);
  CHECK(f.took < 800ms);
  CHECK(f.results[0].failure == FetchFailure::timeout);
  CHECK(f.results[0].message == "no complete answer within the --timeout deadline of 0.3 s");
}

TEST_CASE("fetch_all, retries get what is left of the deadline, and none starts after it", "[net]") {
  // A server too slow for the low-speed limit: each attempt times out after 100 ms.
  FakeClient client([](const std::string&, int) { return timed_out(100ms); });
  FetchSettings settings;
  settings.deadline = 450ms;
  settings.backoff = 20ms;
  settings.retries = 20;
  const Fetched f = fetch(client, {"http://slow.test/a.png"}, settings);
  REQUIRE(client.started.size() >= 3);
  const auto deadline = client.started.front().at + settings.deadline;
  for (const FakeClient::Started& s : client.started) {
    CHECK(s.at < deadline);
    CHECK(s.at + s.limits.total <= deadline + 50ms);  // the client starts a little after fetch_all decides
    CHECK(s.limits.connect <= s.limits.total);
  }
  CHECK(f.took < 450ms + 300ms);
  CHECK(f.results[0].attempts == static_cast<int>(client.started.size()));
  CHECK(f.results[0].failure == FetchFailure::timeout);
}

TEST_CASE("fetch_all, Retry-After is honoured when it fits the deadline, refused when it does not", "[net]") {
  FakeClient client([](const std::string& url, int attempt) {
    if (attempt > 1) return ok();
    return url.ends_with("/soon") ? status(503, 150ms) : status(429, std::chrono::seconds(999999));
  });
  FetchSettings settings;
  settings.deadline = 2s;
  const Fetched f = fetch(client, {"http://busy.test/soon", "http://busy.test/never"}, settings);

  CHECK(f.results[0].failure == FetchFailure::none);
  CHECK(f.results[0].attempts == 2);
  REQUIRE(client.started.size() == 3);
  CHECK(client.started[2].at - client.started[0].at >= 150ms);

  CHECK(f.results[1].failure == FetchFailure::http_status);
  CHECK(f.results[1].attempts == 1);
  CHECK(f.results[1].message == "HTTP 429; the server asked to wait 999999 s, past the --timeout deadline of 2 s");
  CHECK(f.took < 1s);
}

TEST_CASE("fetch_all, the deadline starts at a request's first attempt, not while it waits its turn", "[net]") {
  FakeClient client([](const std::string&, int) {
    Outcome o = ok();
    o.takes = 150ms;
    return o;
  });
  FetchSettings settings;
  settings.jobs = 1;
  settings.deadline = 250ms;
  const Fetched f = fetch(client, {"http://a.test/1", "http://a.test/2", "http://a.test/3"}, settings);
  for (const FetchResult& r : f.results) CHECK(r.failure == FetchFailure::none);
  for (const FakeClient::Started& s : client.started) CHECK(s.limits.total == 250ms);
}

TEST_CASE("fetch_all, a retry still waiting for a free slot at its deadline is not attempted", "[net]") {
  FakeClient client([](const std::string& url, int) {
    if (url.ends_with("/busy")) return status(503);
    Outcome o = ok();
    o.takes = 400ms;  // holds the only slot past the other's deadline
    return o;
  });
  FetchSettings settings;
  settings.jobs = 1;
  settings.deadline = 200ms;
  settings.backoff = 10ms;
  const Fetched f = fetch(client, {"http://a.test/busy", "http://a.test/long"}, settings);
  CHECK(client.attempts("http://a.test/busy") == 1);
  CHECK(f.results[0].failure == FetchFailure::http_status);
  CHECK(f.results[0].message == "HTTP 503");
  CHECK(f.results[1].failure == FetchFailure::none);
}

TEST_CASE("fetch_all, no more attempts at once than jobs, nor to one host than per_host", "[net]") {
  std::vector<std::string> urls;
  for (int i = 0; i < 12; ++i) urls.push_back("http://one.test/" + std::to_string(i));
  for (int i = 0; i < 12; ++i) urls.push_back("http://two.test/" + std::to_string(i));
  int running = 0, most = 0;
  std::map<std::string, int> per_host, most_per_host;
  FakeClient client([&](const std::string&, int) {
    Outcome o = ok();
    o.takes = 20ms;
    return o;
  });
  FetchSettings settings;
  settings.jobs = 5;
  settings.per_host = 3;
  std::vector<FetchRequest> requests = requests_for(urls);
  // Counted from the attempts' start times and lengths (each takes 20 ms).
  fetch_all(client, requests, settings, [](std::size_t, FetchResult) {});
  for (const FakeClient::Started& s : client.started) {
    running = 0;
    per_host.clear();
    for (const FakeClient::Started& t : client.started)
      if (t.at <= s.at && s.at < t.at + 20ms) {
        ++running;
        ++per_host[host_of(t.url)];
      }
    most = std::max(most, running);
    for (const auto& [host, n] : per_host) most_per_host[host] = std::max(most_per_host[host], n);
  }
  CHECK(most <= 5);
  CHECK(most_per_host["one.test"] <= 3);
  CHECK(most_per_host["two.test"] <= 3);
  CHECK(client.started.size() == 24);
}

TEST_CASE("embed_images, an unreachable host is one warning naming it, with the count and --offline", "[net]") {
  Pixels pixels = Pixels::allocate(8, 8, 3);
  const std::string png = encode_png(pixels);
  FakeClient client([&](const std::string& url, int) {
    if (host_of(url) == "img.invalid") return unreachable("img.invalid");
    Outcome o = ok(png);
    o.result.content_type = "image/png";
    return o;
  });
  std::string md = "# Offline\n\n![](http://good.test/a.png)\n\n";
  for (int i = 0; i < 40; ++i) md += "![](http://img.invalid/" + std::to_string(i) + ".png)\n\n";
  TempDir dir;
  BuildOptions options;
  options.images.client = &client;
  std::vector<ImageProgress> progress;
  options.images.progress = [&](const ImageProgress& p) { progress.push_back(p); };
  const Built book = build_markdown(dir, md, options);

  REQUIRE(book.warnings.size() == 1);
  CHECK(book.warnings[0].message ==
        "could not resolve img.invalid: 40 images not included (no network? --offline builds from the download "
        "cache without trying)");
  CHECK(book.doc.media.size() == 1);
  CHECK(client.attempts_on("img.invalid") <= 6);
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.front().done == 0);
  CHECK(progress.front().total == 41);
  CHECK(progress.back().done == 41);
  CHECK(progress.back().failed == 40);
}

TEST_CASE("url_authority, one spelling per server: lower case, port kept, user information dropped", "[net]") {
  CHECK(url_authority("HTTPS://user:pw@Img.Example.com:8080/a.png?x#y") == "img.example.com:8080");
  CHECK(url_authority("http://mmbiz.qpic.cn?x") == "mmbiz.qpic.cn");
  CHECK(url_authority("http://127.0.0.1:9") == "127.0.0.1:9");
}

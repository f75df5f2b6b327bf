// fetch_all's rules — retries, one deadline per request, Retry-After, hosts that cannot be
// reached, size limits — against a scripted HttpClient: no server, each attempt's outcome
// scripted. Assertions are on what was attempted and with which limits, never on how long it
// took (a loaded machine only makes things later).
#include <catch2/catch.hpp>

#include "image/codec.hpp"
#include "image/media_plan.hpp"
#include "net/image_urls.hpp"
#include "input/web_page.hpp"
#include "support/fake_http_client.hpp"
#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// Every request's result, and how many attempts the client had started when it was settled.
struct Fetched {
  std::vector<FetchResult> results;
  std::vector<std::size_t> settled_after;
};

Fetched fetch(FakeHttpClient& client, const std::vector<std::string>& urls, const FetchSettings& settings) {
  std::vector<FetchRequest> requests;
  for (const std::string& url : urls) requests.push_back({url, {}, {}});
  Fetched out{std::vector<FetchResult>(urls.size()), std::vector<std::size_t>(urls.size())};
  std::vector<int> settled(urls.size());
  fetch_all(client, requests, settings, [&](std::size_t i, FetchResult r) {
    ++settled[i];
    out.results[i] = std::move(r);
    out.settled_after[i] = client.attempts().size();
  });
  for (int n : settled) REQUIRE(n == 1);  // each request settled exactly once
  return out;
}

// Retries come quickly, within a deadline no attempt here gets near.
FetchSettings quick_retries() {
  FetchSettings settings;
  settings.backoff = 1ms;
  settings.deadline = 20s;
  return settings;
}

}  // namespace

TEST_CASE("fetch_all, a 503 is tried again up to the retries allowed, then reported", "[net]") {
  FakeHttpClient client([](const std::string&, int) { return Answer::status(503); });
  FetchSettings settings = quick_retries();
  settings.retries = 3;
  const Fetched f = fetch(client, {"http://busy.test/a.png"}, settings);
  CHECK(client.attempts_at("http://busy.test/a.png") == 4);
  CHECK(f.results[0].failure == FetchFailure::http_status);
  CHECK(f.results[0].message == "HTTP 503");
  CHECK(f.results[0].attempts == 4);
}

TEST_CASE("fetch_all, a transient failure that clears is an image, not an error", "[net]") {
  FakeHttpClient client([](const std::string&, int attempt) {
    return attempt == 1 ? Answer::reset() : attempt == 2 ? Answer::status(429) : Answer::ok("picture");
  });
  const Fetched f = fetch(client, {"http://flaky.test/a.png"}, quick_retries());
  CHECK(f.results[0].failure == FetchFailure::none);
  CHECK(f.results[0].body == "picture");
  CHECK(f.results[0].attempts == 3);
}

TEST_CASE("fetch_all, what another attempt cannot change is not tried again", "[net]") {
  FakeHttpClient client([](const std::string& url, int) {
    if (url.ends_with("/gone")) return Answer::status(404);
    if (url.ends_with("/huge")) return Answer::ok(std::string(2000, 'x'));
    return Answer::dns_failure("nowhere.invalid");
  });
  FetchSettings settings = quick_retries();
  settings.max_bytes = 1000;
  const Fetched f = fetch(client, {"http://a.test/gone", "http://a.test/huge", "http://nowhere.invalid/a.png"}, settings);
  for (const FakeHttpClient::Attempt& a : client.attempts()) CHECK(a.number == 1);
  CHECK(f.results[0].failure == FetchFailure::http_status);
  CHECK(f.results[1].failure == FetchFailure::too_large);
  CHECK(f.results[2].failure == FetchFailure::unreachable);
  CHECK(f.results[2].message == "could not resolve nowhere.invalid");
}

TEST_CASE("fetch_all, every attempt is bounded by the size limit", "[net]") {
  FakeHttpClient client([](const std::string&, int attempt) { return attempt == 1 ? Answer::reset() : Answer::ok(); });
  FetchSettings settings = quick_retries();
  settings.max_bytes = 12345;
  fetch(client, {"http://a.test/1", "http://b.test/2"}, settings);
  REQUIRE(client.attempts().size() == 4);
  for (const FakeHttpClient::Attempt& a : client.attempts()) CHECK(a.limits.max_bytes == 12345);
}

TEST_CASE("fetch_all, a host that does not resolve fails once for all its requests, none retried", "[net]") {
  FakeHttpClient client([](const std::string& url, int) {
    return url_authority(url) == "img.invalid" ? Answer::dns_failure("img.invalid") : Answer::ok();
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
    CHECK(client.attempts_at(urls[i]) <= 1);
  }
  CHECK(f.results.back().failure == FetchFailure::none);
}

TEST_CASE("fetch_all, a refused port fails its own requests, not another port's on the same machine", "[net]") {
  FakeHttpClient client([](const std::string& url, int) {
    return url_authority(url) == "127.0.0.1:9" ? Answer::connection_refused("127.0.0.1:9") : Answer::ok();
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
  CHECK(f.results[0].message == "could not connect to 127.0.0.1:9");
  CHECK(client.attempts_on("127.0.0.1:9") <= 6);
  CHECK(client.attempts_on("127.0.0.1:8080") == 20);
}

TEST_CASE("fetch_all, a stalled server gets one attempt with the whole deadline, then a message naming it", "[net]") {
  FakeHttpClient client([](const std::string&, int) { return Answer::stall(); });
  FetchSettings settings;
  settings.deadline = 50ms;
  const Fetched f = fetch(client, {"http://stalled.test/a.png"}, settings);
  // The attempt used all the time there was: nothing is attempted after the deadline.
  REQUIRE(client.attempts().size() == 1);
  CHECK(client.attempts()[0].limits.total == 50ms);
  CHECK(client.attempts()[0].limits.connect == 50ms);  // not the 10 s connect time-out
  CHECK(f.results[0].failure == FetchFailure::timeout);
  CHECK(f.results[0].message == "no complete answer within the --timeout deadline of 0.05 s");
}

TEST_CASE("fetch_all, each retry gets what is left of the deadline, and none starts after it", "[net]") {
  // A server too slow for the low-speed limit: each attempt gives up after 100 ms.
  FakeHttpClient client([](const std::string&, int) {
    Answer answer = Answer::stall();
    answer.takes = 100ms;
    return answer;
  });
  FetchSettings settings;
  settings.deadline = 1s;
  settings.backoff = 1ms;
  settings.retries = 50;
  const Fetched f = fetch(client, {"http://slow.test/a.png"}, settings);
  const auto& attempts = client.attempts();
  // Each attempt starts at least 100 ms after the one before, so an eleventh would start past
  // the deadline.
  REQUIRE(attempts.size() >= 2);
  CHECK(attempts.size() <= 10);
  CHECK(attempts[0].limits.total == 1s);
  for (std::size_t i = 1; i < attempts.size(); ++i) {
    CHECK(attempts[i].limits.total <= attempts[i - 1].limits.total - 100ms);
    CHECK(attempts[i].limits.connect <= attempts[i].limits.total);
  }
  CHECK(f.results[0].attempts == static_cast<int>(attempts.size()));
  CHECK(f.results[0].failure == FetchFailure::timeout);
}

TEST_CASE("fetch_all, Retry-After is honoured when it fits the deadline, refused when it does not", "[net]") {
  FakeHttpClient client([](const std::string& url, int attempt) {
    if (attempt > 1) return Answer::ok();
    return url.ends_with("/soon") ? Answer::status(503, 150ms) : Answer::status(429, std::chrono::seconds(999999));
  });
  FetchSettings settings = quick_retries();
  settings.deadline = 2s;
  const Fetched f = fetch(client, {"http://busy.test/soon", "http://busy.test/never"}, settings);

  CHECK(f.results[0].failure == FetchFailure::none);
  CHECK(f.results[0].attempts == 2);
  REQUIRE(client.attempts().size() == 3);
  CHECK(client.attempts()[2].at - client.attempts()[0].at >= 150ms);  // not the 1 ms backoff

  // Given up at once, not after waiting out the deadline: settled before the other's retry.
  CHECK(f.results[1].failure == FetchFailure::http_status);
  CHECK(f.results[1].attempts == 1);
  CHECK(f.settled_after[1] == 2);
  CHECK(f.results[1].message == "HTTP 429; the server asked to wait 999999 s, past the --timeout deadline of 2 s");
}

TEST_CASE("fetch_all, the deadline starts at a request's first attempt, not while it waits its turn", "[net]") {
  FakeHttpClient client([](const std::string&, int) {
    Answer answer = Answer::ok();
    answer.takes = 150ms;
    return answer;
  });
  FetchSettings settings;
  settings.jobs = 1;
  settings.deadline = 250ms;
  const Fetched f = fetch(client, {"http://a.test/1", "http://a.test/2", "http://a.test/3"}, settings);
  for (const FetchResult& r : f.results) CHECK(r.failure == FetchFailure::none);
  for (const FakeHttpClient::Attempt& a : client.attempts()) CHECK(a.limits.total == 250ms);
}

TEST_CASE("fetch_all, a retry still waiting for a free slot at its deadline is not attempted", "[net]") {
  // Retries queue behind requests not yet started: two of 150 ms hold the only slot past the
  // 200 ms deadline of the one that failed first.
  FakeHttpClient client([](const std::string& url, int) {
    if (url.ends_with("/busy")) return Answer::status(503);
    Answer answer = Answer::ok();
    answer.takes = 150ms;
    return answer;
  });
  FetchSettings settings;
  settings.jobs = 1;
  settings.deadline = 200ms;
  settings.backoff = 10ms;
  const Fetched f = fetch(client, {"http://a.test/busy", "http://a.test/long1", "http://a.test/long2"}, settings);
  CHECK(client.attempts_at("http://a.test/busy") == 1);
  CHECK(f.results[0].failure == FetchFailure::http_status);
  CHECK(f.results[0].message == "HTTP 503");
  CHECK(f.results[1].failure == FetchFailure::none);
  CHECK(f.results[2].failure == FetchFailure::none);
}

TEST_CASE("fetch_all, no more attempts at once than jobs, nor to one host than per_host", "[net]") {
  std::vector<std::string> urls;
  for (int i = 0; i < 12; ++i) urls.push_back("http://one.test/" + std::to_string(i));
  for (int i = 0; i < 12; ++i) urls.push_back("http://two.test/" + std::to_string(i));
  FakeHttpClient client([&](const std::string&, int) {
    Answer answer = Answer::ok();
    answer.takes = 5ms;
    return answer;
  });
  FetchSettings settings;
  settings.jobs = 5;
  settings.per_host = 3;
  fetch(client, urls, settings);
  REQUIRE(client.attempts().size() == 24);
  std::size_t most = 0, most_to_host = 0;
  for (const FakeHttpClient::Attempt& a : client.attempts()) {
    most = std::max(most, a.in_flight);
    most_to_host = std::max(most_to_host, a.in_flight_to_host);
  }
  CHECK(most == 5);
  CHECK(most_to_host == 3);
}

namespace {

// A section of one paragraph holding an image from each address, as read from `article.md`.
Document with_images(const std::vector<std::string>& urls) {
  Document doc;
  Block paragraph;
  for (const std::string& url : urls) {
    Inline image;
    image.kind = InlineKind::image;
    image.target = url;
    paragraph.inlines.push_back(image);
  }
  doc.sections.push_back({"Images", "sec-1", {paragraph}});
  return doc;
}

struct Embedded {
  Document doc;
  std::vector<Warning> warnings;
  std::vector<ImageProgress> progress;
};

Embedded embed(const std::vector<std::string>& urls, HttpClient& client, FetchSettings fetch = {}) {
  Embedded out{with_images(urls), {}, {}};
  ImageOptions options;
  options.client = &client;
  options.fetch = fetch;
  options.progress = [&](const ImageProgress& p) { out.progress.push_back(p); };
  Diagnostics diags;
  embed_images(out.doc, {{file_loader("."), "article.md"}}, options, diags);
  out.warnings = diags.warnings();
  return out;
}

std::string small_png() {
  Pixels pixels = Pixels::allocate(8, 8, 3);
  return encode_png(pixels);
}

}  // namespace

TEST_CASE("embed_images, an unreachable host is one warning naming it, with the count and --offline", "[net]") {
  const std::string png = small_png();
  FakeHttpClient client([&](const std::string& url, int) {
    return url_authority(url) == "img.invalid" ? Answer::dns_failure("img.invalid") : Answer::ok(png);
  });
  std::vector<std::string> urls{"http://good.test/a.png"};
  for (int i = 0; i < 40; ++i) urls.push_back("http://img.invalid/" + std::to_string(i) + ".png");
  const Embedded e = embed(urls, client);

  REQUIRE(e.warnings.size() == 1);
  CHECK(e.warnings[0].message ==
        "could not resolve img.invalid: 40 images not included (no network? --offline builds from the download "
        "cache without trying)");
  CHECK(e.doc.media.size() == 1);
  CHECK(client.attempts_on("img.invalid") <= 6);
  REQUIRE_FALSE(e.progress.empty());
  CHECK(e.progress.front().done == 0);
  CHECK(e.progress.front().total == 41);
  CHECK(e.progress.back().done == 41);
  CHECK(e.progress.back().failed == 40);
}

TEST_CASE("embed_images, an image that failed after retries says how many attempts it had", "[net]") {
  const std::string png = small_png();
  FakeHttpClient client([&](const std::string& url, int) {
    return url.ends_with("/down.png") ? Answer::status(503) : Answer::ok(png);
  });
  FetchSettings fetch = quick_retries();
  fetch.retries = 2;
  const Embedded e = embed({"http://a.test/down.png", "http://a.test/up.png"}, client, fetch);
  REQUIRE(e.warnings.size() == 1);
  CHECK(e.warnings[0].message == "image not included (HTTP 503 after 3 attempts)");
  CHECK(e.warnings[0].where == "article.md");
  CHECK(e.doc.media.size() == 1);
  CHECK(e.doc.sections[0].blocks[0].inlines[0].media.empty());
  CHECK(e.doc.sections[0].blocks[0].inlines[1].media == std::vector<std::size_t>{0});
}

TEST_CASE("fetch_page, a page fetched before stands in, with a warning, when its server cannot be reached", "[net]") {
  TempDir dir;
  ImageOptions options;
  options.cache_dir = dir.path() / "cache";
  const std::string url = "http://blog.test/post";
  FakeHttpClient online([](const std::string&, int) {
    Answer answer = Answer::ok("<p>the post</p>", "text/html");
    answer.result.etag = "\"v1\"";
    return answer;
  });
  options.client = &online;
  Diagnostics diags;
  REQUIRE(fetch_page(url, options, diags));

  FakeHttpClient offline([](const std::string&, int) { return Answer::dns_failure("blog.test"); });
  options.client = &offline;
  const auto page = fetch_page(url, options, diags);
  REQUIRE(page);
  CHECK(page->body == "<p>the post</p>");
  REQUIRE(offline.attempts().size() == 1);
  CHECK(offline.attempts()[0].request.etag == "\"v1\"");  // asked whether the copy is current
  REQUIRE(diags.warnings().size() == 1);
  CHECK(diags.warnings()[0].message.starts_with(
      "could not fetch the page (could not resolve blog.test); using the copy cached on "));
}

TEST_CASE("fetch_page, a page never fetched from a server that cannot be reached is an error naming both", "[net]") {
  FakeHttpClient client([](const std::string&, int) { return Answer::connection_refused("blog.test"); });
  ImageOptions options;
  options.client = &client;
  Diagnostics diags;
  const auto page = fetch_page("http://blog.test/post", options, diags);
  REQUIRE_FALSE(page);
  CHECK(page.error().message == "http://blog.test/post: could not fetch the page (could not connect to blog.test); "
                                "check the address, or save the page and pass the file");
  CHECK(client.attempts().size() == 1);
}

TEST_CASE("url_authority, one spelling per server: lower case, port kept, user information dropped", "[net]") {
  CHECK(url_authority("HTTPS://user:pw@Img.Example.com:8080/a.png?x#y") == "img.example.com:8080");
  CHECK(url_authority("http://mmbiz.qpic.cn?x") == "mmbiz.qpic.cn");
  CHECK(url_authority("http://127.0.0.1:9") == "127.0.0.1:9");
}

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <list>

#include "net/http_client.hpp"

namespace inkpack {
namespace {

using Clock = std::chrono::steady_clock;

struct Transfer {
  std::size_t index;
  int attempt = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  FetchResult result;
  bool too_large = false;
  bool conditional = false;  // sent validators, so 304 is a possible answer
  std::size_t max_bytes = 0;
};

struct Pending {
  std::size_t index;
  int attempt;
  Clock::time_point not_before;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->result.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  if (t->result.body.empty()) {
    // Reserved once from Content-Length: growing by doubling would hold up to twice the image.
    curl_off_t length = -1;
    if (curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK && length > 0)
      t->result.body.reserve(std::min(static_cast<std::size_t>(length), t->max_bytes));
  }
  t->result.body.append(data, n);
  return n;
}

std::string header_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return {};
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return {};
  std::string_view value = line.substr(name.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  return std::string(value);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {  // a new response (after a redirect): forget the last one's
    t->result.etag.clear();
    t->result.last_modified.clear();
  }
  if (std::string v = header_value(line, "etag"); !v.empty()) t->result.etag = v;
  if (std::string v = header_value(line, "last-modified"); !v.empty()) t->result.last_modified = v;
  return size * count;
}

class CurlHttpClient final : public HttpClient {
public:
  CurlHttpClient() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlHttpClient() override { curl_global_cleanup(); }

  void fetch_all(const std::vector<FetchRequest>& requests, const FetchSettings& settings,
                 const Done& done) override {
    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(settings.per_host));
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(settings.jobs));
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    std::deque<Pending> pending;
    for (std::size_t i = 0; i < requests.size(); ++i) pending.push_back({i, 0, Clock::now()});
    std::list<Transfer> active;

    while (!pending.empty() || !active.empty()) {
      start_ready(multi, requests, settings, pending, active, done);
      int running = 0;
      curl_multi_perform(multi, &running);
      while (CURLMsg* msg = curl_multi_info_read(multi, &running)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* t = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
        finish(multi, *t, msg->data.result, settings, pending, done);
        active.remove_if([t](const Transfer& a) { return &a == t; });
      }
      // With nothing left, polling would sit out its time-out on idle keep-alive connections.
      if (pending.empty() && active.empty()) break;
      curl_multi_poll(multi, nullptr, 0, poll_timeout_ms(pending, active, settings.jobs), nullptr);
    }
    curl_multi_cleanup(multi);
  }

private:
  // How long to wait for network activity: until the next retry is due, if a slot is free for it.
  static int poll_timeout_ms(const std::deque<Pending>& pending, const std::list<Transfer>& active, int jobs) {
    if (pending.empty() || active.size() >= static_cast<std::size_t>(jobs)) return 1000;
    const auto next = std::min_element(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
                        return a.not_before < b.not_before;
                      })->not_before;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(wait, 0, 1000));
  }

  static void start_ready(CURLM* multi, const std::vector<FetchRequest>& requests, const FetchSettings& settings,
                          std::deque<Pending>& pending, std::list<Transfer>& active, const Done& done) {
    const auto now = Clock::now();
    for (auto it = pending.begin(); it != pending.end() && active.size() < static_cast<std::size_t>(settings.jobs);) {
      if (it->not_before > now) {
        ++it;
        continue;
      }
      Transfer& t = active.emplace_back();
      t.index = it->index;
      t.attempt = it->attempt + 1;
      t.max_bytes = settings.max_bytes;
      t.conditional = !requests[it->index].etag.empty() || !requests[it->index].last_modified.empty();
      it = pending.erase(it);
      if (!configure(t, requests[t.index], settings) || curl_multi_add_handle(multi, t.easy) != CURLM_OK) {
        // Never started, so it would never finish: report it now.
        t.result.failure = FetchFailure::network;
        t.result.message = "could not start the download";
        t.result.attempts = t.attempt;
        if (t.easy) curl_easy_cleanup(t.easy);
        curl_slist_free_all(t.headers);
        done(t.index, std::move(t.result));
        active.pop_back();
      }
    }
  }

  static bool configure(Transfer& t, const FetchRequest& request, const FetchSettings& s) {
    t.easy = curl_easy_init();
    if (!t.easy) return false;
    CURL* e = t.easy;
    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, s.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, s.total_timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, s.low_speed_bytes);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, s.low_speed_seconds);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(s.max_bytes));
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    // No Referer, ever: WeChat's image CDN answers a foreign one with a "not allowed" picture.
    curl_easy_setopt(e, CURLOPT_AUTOREFERER, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "inkpack/" INKPACK_VERSION);
    if (!request.etag.empty())
      t.headers = curl_slist_append(t.headers, ("If-None-Match: " + request.etag).c_str());
    if (!request.last_modified.empty())
      t.headers = curl_slist_append(t.headers, ("If-Modified-Since: " + request.last_modified).c_str());
    if (t.headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
    return true;
  }

  static void finish(CURLM* multi, Transfer& t, CURLcode code, const FetchSettings& s,
                     std::deque<Pending>& pending, const Done& done) {
    FetchResult& r = t.result;
    r.attempts = t.attempt;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.status);
    if (const char* url = nullptr; curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url)
      r.effective_url = url;
    if (const char* type = nullptr; curl_easy_getinfo(t.easy, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
      r.content_type = type;
    curl_off_t retry_after = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RETRY_AFTER, &retry_after);
    classify(t, code);
    curl_multi_remove_handle(multi, t.easy);
    curl_easy_cleanup(t.easy);
    curl_slist_free_all(t.headers);

    const bool transient = r.failure == FetchFailure::timeout || r.failure == FetchFailure::network ||
                           (r.failure == FetchFailure::http_status && (r.status >= 500 || r.status == 429));
    if (transient && t.attempt <= s.retries) {
      long delay = std::min(s.backoff_ms << std::min(t.attempt - 1, 16), s.max_retry_after_ms);
      if (retry_after > 0)
        delay = retry_after >= s.max_retry_after_ms / 1000 ? s.max_retry_after_ms : static_cast<long>(retry_after) * 1000;
      pending.push_back({t.index, t.attempt, Clock::now() + std::chrono::milliseconds(delay)});
      return;
    }
    done(t.index, std::move(r));
  }

  static void classify(Transfer& t, CURLcode code) {
    FetchResult& r = t.result;
    if (code == CURLE_OK) {
      if (r.status == 304 && t.conditional) {
        r.not_modified = true;
      } else if (r.status < 200 || r.status >= 300) {
        r.failure = r.status >= 300 && r.status < 400 ? FetchFailure::redirect : FetchFailure::http_status;
        r.message = "HTTP " + std::to_string(r.status);
        r.body.clear();
      }
      return;
    }
    r.body.clear();
    r.message = curl_easy_strerror(code);
    if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      r.failure = FetchFailure::too_large;
      r.message = "larger than " + std::to_string(t.max_bytes >> 20) + " MB";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      r.failure = FetchFailure::timeout;
    } else if (code == CURLE_TOO_MANY_REDIRECTS || code == CURLE_UNSUPPORTED_PROTOCOL) {
      r.failure = FetchFailure::redirect;
    } else {
      r.failure = FetchFailure::network;
    }
  }
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client() { return std::make_unique<CurlHttpClient>(); }

}  // namespace inkpack

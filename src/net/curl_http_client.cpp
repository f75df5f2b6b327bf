#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <list>
#include <utility>

#include "net/http_client.hpp"
#include "net/image_urls.hpp"

namespace inkpack {
namespace {

// Enough for http → https → a CDN's node; past this a chain is a loop.
constexpr long k_max_redirects = 5;

struct Transfer {
  std::size_t id;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  FetchResult result;
  bool too_large = false;
  bool conditional = false;  // sent validators, so 304 is a possible answer
  std::size_t max_bytes = 0;
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

// Attempts on one curl multi handle, so they share connections; wait() drives it.
class CurlHttpClient final : public HttpClient {
public:
  CurlHttpClient() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  }

  ~CurlHttpClient() override {
    for (Transfer& t : m_active) release(t);
    curl_multi_cleanup(m_multi);
    curl_global_cleanup();
  }

  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  void start(std::size_t id, const FetchRequest& request, const AttemptLimits& limits) override {
    Transfer& t = m_active.emplace_back();
    t.id = id;
    t.max_bytes = limits.max_bytes;
    t.conditional = !request.etag.empty() || !request.last_modified.empty();
    if (configure(t, request, limits) && curl_multi_add_handle(m_multi, t.easy) == CURLM_OK) return;
    // Never started, so it would never finish: reported by the next wait.
    t.result.failure = FetchFailure::network;
    t.result.message = "could not start the download";
    if (t.easy) curl_easy_cleanup(t.easy);
    curl_slist_free_all(t.headers);
    m_finished.push_back({id, std::move(t.result)});
    m_active.pop_back();
  }

  std::vector<Finished> wait(FetchClock::time_point until) override {
    for (;;) {
      int running = 0;
      curl_multi_perform(m_multi, &running);
      collect();
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - FetchClock::now()).count();
      if (!m_finished.empty() || left <= 0) return std::exchange(m_finished, {});
      // curl wakes sooner for its own timers (the attempts' limits).
      curl_multi_poll(m_multi, nullptr, 0, static_cast<int>(std::min<long long>(left, 1000)), nullptr);
    }
  }

private:
  void collect() {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(m_multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
      finish(*t, msg->data.result);
      m_finished.push_back({t->id, std::move(t->result)});
      release(*t);
      m_active.remove_if([t](const Transfer& a) { return &a == t; });
    }
  }

  void release(Transfer& t) {
    curl_multi_remove_handle(m_multi, t.easy);
    curl_easy_cleanup(t.easy);
    curl_slist_free_all(t.headers);
  }

  static bool configure(Transfer& t, const FetchRequest& request, const AttemptLimits& limits) {
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
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, k_max_redirects);
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total.count()));
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, limits.low_speed_bytes);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, limits.low_speed_seconds);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));
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

  static void finish(Transfer& t, CURLcode code) {
    FetchResult& r = t.result;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.status);
    if (const char* url = nullptr; curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url)
      r.effective_url = url;
    if (const char* type = nullptr; curl_easy_getinfo(t.easy, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
      r.content_type = type;
    // Capped so an absurd value cannot overflow; fetch_all refuses any past the deadline anyway.
    if (curl_off_t seconds = 0; curl_easy_getinfo(t.easy, CURLINFO_RETRY_AFTER, &seconds) == CURLE_OK && seconds > 0)
      r.retry_after = std::chrono::seconds(std::min<curl_off_t>(seconds, 366 * 24 * 3600));
    classify(t, code);
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
    } else if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT) {
      r.failure = FetchFailure::unreachable;
      r.host = url_authority(r.effective_url);
      r.message = (code == CURLE_COULDNT_RESOLVE_HOST ? "could not resolve " : "could not connect to ") + r.host;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      r.failure = FetchFailure::timeout;
    } else if (code == CURLE_TOO_MANY_REDIRECTS) {
      r.failure = FetchFailure::redirect;
      r.message = "redirected more than " + std::to_string(k_max_redirects) + " times";
    } else if (code == CURLE_UNSUPPORTED_PROTOCOL) {
      r.failure = FetchFailure::redirect;
      r.message = "redirected to an address that is not http(s)";
    } else {
      r.failure = FetchFailure::network;
    }
  }

  CURLM* m_multi = nullptr;
  std::list<Transfer> m_active;
  std::vector<Finished> m_finished;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client() { return std::make_unique<CurlHttpClient>(); }

}  // namespace inkpack

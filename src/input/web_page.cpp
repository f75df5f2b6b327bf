#include "input/web_page.hpp"

#include <chrono>
#include <ctime>
#include <optional>

#include "net/cache.hpp"
#include "util/hash.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

FetchResult from_cache(const CachedResponse& cached, const std::string& url) {
  FetchResult page;
  page.body = cached.body;
  page.content_type = cached.content_type;
  page.etag = cached.etag;
  page.last_modified = cached.last_modified;
  page.effective_url = cached.location.empty() ? url : cached.location;
  return page;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

FetchResult fetch_once(const FetchRequest& request, const ImageOptions& images) {
  std::unique_ptr<HttpClient> curl;
  HttpClient* client = images.client;
  if (!client) client = (curl = make_curl_client()).get();
  FetchResult result;
  result.failure = FetchFailure::network;
  result.message = "no answer";
  fetch_all(*client, {request}, images.fetch, [&](std::size_t, FetchResult r) { result = std::move(r); });
  return result;
}

}  // namespace

// Pages change, unlike the images they show: a cached one stands in only when the server cannot
// be asked, not for a month as an image does.
Expected<FetchResult> fetch_page(const std::string& url, const ImageOptions& images, Diagnostics& diags) {
  const std::optional<DiskCache> cache = images.cache_dir ? std::optional<DiskCache>(*images.cache_dir) : std::nullopt;
  const std::optional<CachedResponse> cached = cache ? cache->get(url) : std::nullopt;
  if (images.offline) {
    if (cached) return from_cache(*cached, url);
    return fail(url + ": not in the download cache, and --offline: build once online (without --no-cache), "
                "or save the page and pass the file");
  }
  FetchResult page = fetch_once({url, cached ? cached->etag : "", cached ? cached->last_modified : ""}, images);
  if (page.failure != FetchFailure::none) {
    if (!cached) return fail(url + ": could not fetch the page (" + page.message + "); check the address, or save "
                             "the page and pass the file");
    diags.warn(url, "could not fetch the page (" + page.message + "); using the copy cached on " +
                        utc_text(cached->fetched_at, "%Y-%m-%d"));
    return from_cache(*cached, url);
  }
  if (page.not_modified && cached) return from_cache(*cached, url);  // only asked with a cached copy's validators
  if (cache) {
    const std::string location = page.effective_url == url ? "" : page.effective_url;
    (void)cache->put(url, {page.body, page.content_type, page.etag, page.last_modified, now_seconds(),
                           page.body.size(), hash_hex(page.body), location});
  }
  return page;
}

}  // namespace inkpack

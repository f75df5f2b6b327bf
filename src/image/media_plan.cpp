#include "image/media_plan.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <new>
#include <sstream>
#include <thread>

#include "limits.hpp"
#include "model/walk.hpp"
#include "net/cache.hpp"
#include "image/codec.hpp"
#include "net/image_urls.hpp"
#include "util/files.hpp"
#include "util/hash.hpp"
#include "util/text.hpp"
#include "util/thread_pool.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

// Image URLs name immutable content (WeChat's do); a cached copy younger than this is used
// without asking the server, so a rebuild needs no network.
constexpr std::int64_t k_fresh_seconds = 30 * 24 * 3600;

bool has_scheme(const std::string& target) {
  const auto colon = target.find(':');
  if (colon == std::string::npos || colon < 2) return false;  // none, or a drive letter
  return target.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") >= colon;
}

std::string extension_for(const std::string& media_type) {
  return media_type == "image/png" ? ".png" : media_type == "image/jpeg" ? ".jpg" : ".gif";
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Shrunk images in the cache: the hash of the rest (cache files are not synced, and a crash can
// leave one the right size but zero-filled), a line "media_type width height size[ note]" per
// part, then the bytes.
std::string serialize(const std::vector<EncodedImage>& parts) {
  std::string head, body;
  for (const EncodedImage& part : parts) {
    head += part.media_type + " " + std::to_string(part.width) + " " + std::to_string(part.height) + " " +
            std::to_string(part.bytes.size()) + (part.note.empty() ? "" : " " + part.note) + "\n";
    body += part.bytes;
  }
  const std::string rest = head + "\n" + body;
  return hash_hex(rest) + "\n" + rest;
}

std::optional<std::vector<EncodedImage>> deserialize(std::string blob) {
  const std::size_t hash_end = blob.find('\n');
  const std::string_view all(blob);
  if (hash_end == std::string::npos || all.substr(0, hash_end) != hash_hex(all.substr(hash_end + 1)))
    return std::nullopt;
  blob.erase(0, hash_end + 1);
  const std::size_t end = blob.find("\n\n");
  if (end == std::string::npos) return std::nullopt;
  std::vector<EncodedImage> parts;
  std::istringstream head(blob.substr(0, end));
  std::size_t offset = end + 2;
  EncodedImage part;
  std::size_t size = 0;
  while (head >> part.media_type >> part.width >> part.height >> size) {
    std::getline(head, part.note);
    if (!part.note.empty()) part.note.erase(0, 1);  // the separating space
    if (size > blob.size() - offset || part.width <= 0 || part.height <= 0 ||
        (part.media_type != "image/png" && part.media_type != "image/jpeg" && part.media_type != "image/gif"))
      return std::nullopt;
    part.bytes = blob.substr(offset, size);
    offset += size;
    parts.push_back(part);
  }
  if (parts.empty() || offset != blob.size()) return std::nullopt;
  return parts;
}

// One distinct image: where it comes from, what became of it, and who refers to it.
struct Source {
  std::string url;                 // for web images: the normalised address
  std::string bytes;
  std::string error;               // why it cannot be had
  std::string unreachable_host;    // the error is its host's, reported once for all its images
  std::string first_target, first_article;
  std::vector<Inline*> refs;
  std::optional<Expected<std::vector<EncodedImage>>> shrunk;
  std::string derived_key;         // where its shrunk form is cached; empty: not cached
  std::uint64_t size = 0;          // of the original
  std::string content_hash;        // of the original, when downloaded
  bool in_cache = false;           // the original is read from the download cache when its turn comes
  ResourceLoader reload;           // for local files: reads the original when its turn comes
};

class Planner {
public:
  Planner(const ImageOptions& options, Diagnostics& diags) : m_options(options), m_diags(diags) {
    if (options.cache_dir) m_cache.emplace(*options.cache_dir);
  }

  void gather(Document& doc, const std::vector<ImageSource>& sources) {
    for (std::size_t s = 0; s < doc.sections.size(); ++s) {
      for_each_image(doc.sections[s].blocks, [&](Inline& image) { add_reference(image, sources.at(s)); });
    }
  }

  void resolve() {
    ThreadPool pool(std::max(1u, std::thread::hardware_concurrency()));
    report_progress(nullptr);
    std::vector<FetchRequest> requests;
    std::vector<std::size_t> requested;
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
      Source& source = m_sources[i];
      if (!source.error.empty()) {
        report_progress(&source);
      } else if (source.url.empty()) {
        ++m_report.local;
        submit(pool, i);
      } else if (auto request = from_cache(pool, i)) {
        requests.push_back(*request);
        requested.push_back(i);
      } else if (!source.error.empty()) {
        report_progress(&source);
      }
    }
    if (!requests.empty()) {
      std::unique_ptr<HttpClient> own = m_options.client ? nullptr : make_curl_client();
      HttpClient& client = m_options.client ? *m_options.client : *own;
      fetch_all(client, requests, m_options.fetch, [&](std::size_t r, FetchResult result) {
        fetched(pool, requested[r], std::move(result));
      });
    }
    pool.wait();
  }

  // Takes web image i from the cache when it can: shrunk before, or its download; otherwise
  // returns what to ask the server for (with validators when a stale copy is cached).
  std::optional<FetchRequest> from_cache(ThreadPool& pool, std::size_t i) {
    Source& source = m_sources[i];
    std::optional<CachedResponse> cached = m_cache ? m_cache->get(source.url, false) : std::nullopt;
    if (!cached || (!m_options.offline && now_seconds() - cached->fetched_at >= k_fresh_seconds)) {
      if (!m_options.offline) return FetchRequest{source.url, cached ? cached->etag : "", cached ? cached->last_modified : ""};
      source.error = "not in the cache, and --offline";
      return std::nullopt;
    }
    ++m_report.from_cache;
    source.size = cached->size;
    source.content_hash = cached->hash;
    source.derived_key = derived_key(source.url, *cached);
    // Shrunk before: the download itself need not even be read.
    if (auto blob = m_cache->get_derived(source.derived_key)) {
      if (auto parts = deserialize(std::move(*blob))) {
        source.shrunk.emplace(std::move(*parts));
        report_progress(&source);
        return std::nullopt;
      }
    }
    if (auto full = m_cache->get(source.url)) {
      source.bytes = std::move(full->body);
      submit(pool, i);
      return std::nullopt;
    }
    --m_report.from_cache;  // damaged: forgotten and downloaded afresh
    m_cache->forget(source.url);
    if (!m_options.offline) return FetchRequest{source.url, "", ""};
    source.error = "the cached copy is damaged, and --offline";
    return std::nullopt;
  }

  // WeChat's image server answers a request it refuses (one with a foreign Referer, say) with a
  // "此图片来自微信公众平台 未经允许不可引用" notice, the same picture whatever was asked for. So
  // the same bytes for different WeChat images (other ids, not size variants of one) that ask for
  // different formats, or for many of them, are that notice: a real picture uploaded twice keeps
  // its format, and an account's banner repeats in a few articles, not in eight.
  void reject_wechat_notices() {
    constexpr std::size_t k_many = 8;
    static const std::set<std::string> k_formats{"png", "jpeg", "gif", "webp", "bmp"};
    std::map<std::string, std::vector<Source*>> by_content;
    for (Source& source : m_sources)
      if (source.error.empty() && source.shrunk && *source.shrunk && !source.content_hash.empty() &&
          wechat_image_format(source.url))
        by_content[source.content_hash].push_back(&source);
    for (const auto& [hash, group] : by_content) {
      std::set<std::string> formats, ids;
      for (const Source* source : group) {
        if (const std::string format = *wechat_image_format(source->url); k_formats.contains(format))
          formats.insert(format);
        ids.insert(wechat_image_id(source->url));
      }
      if (ids.size() < 2 || (formats.size() < 2 && ids.size() < k_many)) continue;
      for (Source* source : group) {
        source->error = "WeChat's image server sent its \"未经允许不可引用\" (not allowed to quote) notice instead of the "
                        "picture, the same one for " + std::to_string(ids.size()) + " images";
        if (m_cache) m_cache->forget(source->url);  // so the next build asks again
      }
    }
  }

  ImageReport assign(Document& doc) {
    reject_wechat_notices();
    std::map<std::string, std::vector<std::size_t>> by_content;
    std::map<std::string, HostFailure> unreachable;
    m_report.images = m_sources.size();
    for (Source& source : m_sources) {
      if (source.error.empty() && !source.shrunk) source.error = "not processed";
      if (source.error.empty() && !*source.shrunk) source.error = source.shrunk->error().message;
      if (!source.error.empty()) {
        ++m_report.failed;
        if (!source.unreachable_host.empty())
          ++unreachable.try_emplace(source.unreachable_host, source.first_article, source.error).first->second.images;
        else
          m_diags.warn(source.first_article, "image not included (" + source.error + ")", source.first_target);
        continue;
      }
      m_report.bytes_before += source.size;
      if (const std::string& note = (**source.shrunk).front().note; !note.empty())
        m_diags.warn(source.first_article, note, source.first_target);
      std::string all;
      for (const EncodedImage& part : **source.shrunk) all += hash_hex(part.bytes);
      auto [known, inserted] = by_content.try_emplace(all);
      // A hash match is confirmed byte for byte before two images become one.
      for (std::size_t k = 0; !inserted && k < known->second.size(); ++k)
        if (known->second.size() != (**source.shrunk).size() ||
            doc.media[known->second[k]].bytes != (**source.shrunk)[k].bytes) {
          known = by_content.emplace(all + "\n" + std::to_string(doc.media.size()), std::vector<std::size_t>{}).first;
          inserted = true;
        }
      if (inserted) {  // identical bytes from different addresses are stored once
        for (EncodedImage& part : **source.shrunk) {
          char name[32];
          std::snprintf(name, sizeof name, "images/img-%03zu", doc.media.size() + 1);
          m_report.bytes_after += part.bytes.size();
          known->second.push_back(doc.media.size());
          const bool transparent = part.media_type == "image/png" && has_transparency(part.bytes);
          doc.media.push_back({name + extension_for(part.media_type), part.media_type, std::move(part.bytes),
                               part.width, part.height, transparent});
        }
      }
      for (Inline* ref : source.refs) ref->media = known->second;
    }
    warn_unreachable(unreachable);
    return m_report;
  }

private:
  struct HostFailure {
    std::string where, reason;
    std::size_t images = 0;
  };

  // One warning per host, not a screenful per image: the likely cause is no network at all.
  void warn_unreachable(const std::map<std::string, HostFailure>& hosts) {
    for (const auto& [_, failure] : hosts)
      m_diags.warn(failure.where,
                   failure.reason + ": " + std::to_string(failure.images) + (failure.images == 1 ? " image" : " images") +
                       " not included (no network? --offline builds from the download cache without trying)");
  }

  void add_reference(Inline& image, const ImageSource& from) {
    const std::string& target = image.target;
    std::string key, url, error;
    std::uint64_t size = 0;
    ResourceLoader reload;
    fs::path file;
    if (target.empty()) {
      key = "error:" + from.source_name + "\n";
      error = "no address";
    } else if (is_web_url(target)) {
      url = normalize_image_url(target, m_options.originals);
      key = "url:" + url;
    } else if (has_scheme(target)) {
      key = "error:" + target;
      error = "unsupported address";
    } else if (auto local = from.load_local(target)) {
      // Read now to know the file and that it can be had, then again when a worker gets to it:
      // holding every local image from here on would make memory grow with the book.
      key = "file:" + local->key;
      size = local->bytes.size();
      reload = from.load_local;
      file = local->file;
    } else {
      // The same relative path names different files in different articles' folders.
      key = "error:" + from.source_name + "\n" + target;
      error = local.error().message;
    }
    auto [slot, inserted] = m_index.try_emplace(key, m_sources.size());
    if (inserted) m_sources.push_back({url, {}, error, {}, target, from.source_name, {}, {}, {}, size, {}, false, reload});
    if (inserted && !file.empty()) m_report.files_read.push_back({file, "an image " + from.source_name + " uses"});
    m_sources[slot->second].refs.push_back(&image);
  }

  void submit(ThreadPool& pool, std::size_t i) {
    pool.submit([this, i] {
      Source& source = m_sources[i];
      try {
        if (auto cached = source.in_cache ? m_cache->get(source.url) : std::nullopt) source.bytes = std::move(cached->body);
        Expected<Resource> local = source.reload ? source.reload(source.first_target) : Resource{};
        if (local && source.reload) source.bytes = std::move(local->bytes);
        // emplace, not assignment: GCC 12 at -O2 freed the error message of an assigned
        // optional<expected> twice (seen in the misbehaving-server test; -O1 and ASan were clean).
        if (!local)
          source.shrunk.emplace(std::unexpected(local.error()));
        else if (source.in_cache && source.bytes.empty())
          source.shrunk.emplace(fail("the download vanished from the cache during the build; run again"));
        else
          source.shrunk.emplace(shrink_image(source.bytes, m_options.policy));
      } catch (const std::bad_alloc&) {
        source.shrunk.emplace(fail("not enough memory to decode it"));
      }
      // The original is no longer needed: memory holds a few images, not the book. (Assigning an
      // empty string would keep the allocation.)
      std::string().swap(source.bytes);
      if (*source.shrunk && !source.derived_key.empty()) m_cache->put_derived(source.derived_key, serialize(**source.shrunk));
      report_progress(&source);
    });
  }

  // `done`: the source just done; null for the report before any is.
  void report_progress(const Source* done) {
    if (!m_options.progress) return;
    std::lock_guard lock(m_progress_mutex);
    if (done) {
      m_progress.bytes += done->size;
      ++m_progress.done;
      m_progress.failed += !done->error.empty() || (done->shrunk && !*done->shrunk);
    }
    m_progress.total = m_sources.size();
    m_options.progress(m_progress);
  }

  void fetched(ThreadPool& pool, std::size_t i, FetchResult result) {
    Source& source = m_sources[i];
    if (result.failure != FetchFailure::none) {
      if (result.failure == FetchFailure::unreachable) source.unreachable_host = result.host;
      source.error = result.message + (result.attempts > 1 ? " after " + std::to_string(result.attempts) + " attempts" : "");
      report_progress(&source);
      return;
    }
    std::optional<CachedResponse> cached;
    if (result.not_modified) {
      cached = m_cache ? m_cache->get(source.url) : std::nullopt;
      if (!cached) {
        if (m_cache) m_cache->forget(source.url);
        source.error = "the server said the cached copy is current, but it is gone; run again";
        report_progress(&source);
        return;
      }
      // A 304 often omits headers: keep what the cached copy knew.
      result.body = std::move(cached->body);
      if (result.etag.empty()) result.etag = cached->etag;
      if (result.last_modified.empty()) result.last_modified = cached->last_modified;
      if (result.content_type.empty()) result.content_type = cached->content_type;
    }
    source.size = result.body.size();
    ++m_report.fetched;
    source.content_hash = hash_hex(result.body);
    // Only images are cached: an error page served once must not stand in for a month.
    if (m_cache && probe_image(result.body, m_options.policy.pixel_budget)) {
      CachedResponse stored{std::move(result.body), result.content_type, result.etag, result.last_modified,
                            now_seconds(), source.size, source.content_hash};
      source.derived_key = derived_key(source.url, stored);
      // Downloads outpace shrinking: while an image waits for a worker its bytes stay on disk,
      // so memory holds the images being worked on, not every one downloaded.
      source.in_cache = m_cache->put(source.url, stored);
      if (!source.in_cache) source.bytes = std::move(stored.body);
    } else {
      source.bytes = std::move(result.body);
    }
    submit(pool, i);
  }

  // Names the shrunk form of a cached download: its content, the shrinking code's version and
  // the policy, so a rebuild skips decoding and another profile does not reuse the wrong size.
  std::string derived_key(const std::string& url, const CachedResponse& response) const {
    const ImagePolicy& p = m_options.policy;
    return hash_hex("shrink-v" + std::to_string(k_shrink_version) + "\n" + url + "\n" + response.hash + "\n" +
                    std::to_string(p.profile.width) + "x" + std::to_string(p.profile.height) + " q" +
                    std::to_string(p.jpeg_quality) + " budget" + std::to_string(p.pixel_budget) +
                    (p.keep_animation ? " animated" : "") + (p.recompress_jpeg ? " recompressed" : "") +
                    (p.profile.grey ? " grey" : ""));
  }

  const ImageOptions& m_options;
  Diagnostics& m_diags;
  std::optional<DiskCache> m_cache;
  std::vector<Source> m_sources;
  std::map<std::string, std::size_t> m_index;
  ImageReport m_report;
  std::mutex m_progress_mutex;
  ImageProgress m_progress;
};

}  // namespace

ResourceLoader file_loader(const std::string& base_dir) {
  return [base_dir](const std::string& target) -> Expected<Resource> {
    std::string path = target.substr(0, target.find_first_of("?#"));
    if (path.starts_with("file://")) path = path.substr(7);
    const fs::path resolved = fs::path(base_dir) / fs::path(percent_decode(path));
    std::error_code ec;
    const fs::file_status status = fs::status(resolved, ec);
    if (ec) return fail(resolved.string() + ": " + ec.message());
    // Only files: a device (`![](/dev/zero)`), a pipe or a folder in an article is no picture.
    if (!fs::is_regular_file(status)) return fail(resolved.string() + ": not a file");
    auto bytes = read_file(resolved, k_max_image_file_bytes);
    if (!bytes) return std::unexpected(bytes.error());
    return Resource{fs::weakly_canonical(resolved, ec).string(), std::move(*bytes), resolved};
  };
}

ImageReport embed_images(Document& doc, const std::vector<ImageSource>& sources, const ImageOptions& options,
                         Diagnostics& diags) {
  Planner planner(options, diags);
  planner.gather(doc, sources);
  planner.resolve();
  return planner.assign(doc);
}

}  // namespace inkpack

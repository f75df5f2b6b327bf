#pragma once
// Image addresses as the book dedupes and fetches them.
#include <optional>
#include <string>
#include <string_view>

namespace inkpack {

/// One spelling per image: drops the fragment; for WeChat's image CDN (mmbiz.qpic.cn and
/// friends) also the client hints (`from`, `wxfrom`, `wx_lazy`, `wx_co`) and `tp=webp`, which
/// asks for a re-encoded WebP instead of the original, and with `originals` asks for the full
/// size (`/0`) instead of the 640-wide variant (`/640`).
std::string normalize_image_url(const std::string& url, bool originals);

/// For an image on WeChat's CDN (or a mirror keeping its paths, `/mmbiz_png/<id>/640`), the
/// format the address asks for (`wx_fmt`, else the path's `mmbiz_<format>`; empty if neither);
/// nullopt for any other address.
std::optional<std::string> wechat_image_format(const std::string& url);

/// The picture a WeChat image address names, the same for its size variants (`/640`, `/0`): the
/// path without its last segment.
std::string wechat_image_id(const std::string& url);

/// `target` as an absolute address, read relative to the page at `base` (RFC 3986's common
/// cases: `//host/…`, `/path`, `path`, `?query`); fragments and addresses with a scheme stay.
std::string resolve_url(const std::string& base, const std::string& target);

/// The host and port an address names, lower-cased and without user information: what one
/// server is, for connection limits and for hosts that cannot be reached.
std::string url_authority(std::string_view url);

}  // namespace inkpack

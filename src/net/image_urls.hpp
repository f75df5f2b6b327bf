#pragma once
// Image addresses as the book dedupes and fetches them.
#include <string>

namespace inkpack {

/// One spelling per image: drops the fragment; for WeChat's image CDN (mmbiz.qpic.cn and
/// friends) also the client hints (`from`, `wxfrom`, `wx_lazy`, `wx_co`) and `tp=webp`, which
/// asks for a re-encoded WebP instead of the original, and with `originals` asks for the full
/// size (`/0`) instead of the 640-wide variant (`/640`).
std::string normalize_image_url(const std::string& url, bool originals);

}  // namespace inkpack

#include "image/codec.hpp"

#include <climits>

// Static, so these guarded copies never clash with Debian's libstb.so; the dimension cap is
// stb's own defence against hostile headers ("denial-of-service attacks on untrusted data").
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_GIF
#define STBI_MAX_DIMENSIONS (1 << 16)
#include <stb_image.h>

namespace inkpack {
namespace {

std::string sniff(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (b.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "image/gif";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  if (b.starts_with("BM")) return "image/bmp";
  if (b.find("<svg") != std::string_view::npos && b.find("<svg") < 512) return "image/svg+xml";
  return {};
}

}  // namespace

Expected<ImageInfo> probe_image(std::string_view bytes, std::int64_t pixel_budget) {
  ImageInfo info;
  info.media_type = sniff(bytes);
  if (info.media_type.empty()) return fail("not an image (unrecognised bytes)");
  if (info.media_type != "image/png" && info.media_type != "image/jpeg" &&
      info.media_type != "image/gif")
    return fail(info.media_type + " is not supported yet (PNG, JPEG and GIF are)");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return fail("image is too large");
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int size = static_cast<int>(bytes.size());
  int components = 0;
  if (!stbi_info_from_memory(data, size, &info.width, &info.height, &components))
    return fail(std::string("unreadable ") + info.media_type + ": " + stbi_failure_reason());
  if (static_cast<std::int64_t>(info.width) * info.height > pixel_budget)
    return fail(std::to_string(info.width) + "x" + std::to_string(info.height) +
                " pixels is over the budget of " + std::to_string(pixel_budget));
  stbi_uc* pixels = stbi_load_from_memory(data, size, &info.width, &info.height, &components, 0);
  if (pixels == nullptr)
    return fail(std::string("corrupt ") + info.media_type + ": " + stbi_failure_reason());
  stbi_image_free(pixels);
  return info;
}

}  // namespace inkpack

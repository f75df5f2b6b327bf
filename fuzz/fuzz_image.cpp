// libFuzzer: image bytes -> what the book would store (probe, decode, orient, scale, slice,
// encode). Besides crashes and sanitizer reports, it fails when a result is not an image inkpack
// itself can read back at the size it claims, or does not fit the profile's box.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "image/codec.hpp"
#include "image/shrink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  inkpack::ImagePolicy policy;
  policy.profile = {"fuzz", 240, 320};  // small, so an iteration stays fast
  policy.pixel_budget = 4'000'000;
  policy.keep_animation = size % 2 == 0;
  const auto parts = inkpack::shrink_image({reinterpret_cast<const char*>(data), size}, policy);
  if (!parts) return 0;  // refused with a reason: fine
  for (const inkpack::EncodedImage& part : *parts) {
    const auto info = inkpack::probe_image(part.bytes, policy.pixel_budget);
    if (!info || info->width != part.width || info->height != part.height) std::abort();
    if (part.width > policy.profile.width || part.height > policy.profile.height) std::abort();
  }
  return 0;
}

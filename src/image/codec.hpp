#pragma once
// The only place that decodes image bytes (with stb_image), so untrusted images meet one guard.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace inkpack {

struct ImageInfo {
  std::string media_type;
  int width = 0;
  int height = 0;
};

constexpr std::int64_t k_default_pixel_budget = 40'000'000;

/// Identifies the format from the bytes (never the name), reads the dimensions before decoding,
/// refuses images over `pixel_budget`, and decodes once to prove the bytes are a usable image.
/// Only formats every EPUB reading system shows (PNG, JPEG, GIF) are accepted.
Expected<ImageInfo> probe_image(std::string_view bytes,
                                std::int64_t pixel_budget = k_default_pixel_budget);

}  // namespace inkpack

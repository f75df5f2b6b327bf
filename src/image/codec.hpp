#pragma once
// The only place that touches pixels: stb_image (and libwebp for WebP) to decode,
// stb_image_resize to scale, stb_image_write to encode. Untrusted bytes meet one set of guards.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace inkpack {

struct ImageInfo {
  std::string media_type;  ///< from the bytes: image/png, image/jpeg, image/gif, image/webp
  int width = 0;
  int height = 0;
};

constexpr std::int64_t k_default_pixel_budget = 40'000'000;

/// Identifies the format from the bytes (never a name or a Content-Type) and reads the
/// dimensions from the header without decoding; refuses images over `pixel_budget`.
Expected<ImageInfo> probe_image(std::string_view bytes, std::int64_t pixel_budget = k_default_pixel_budget);

/// 8-bit pixels, row by row; 3 channels (RGB) or 4 (RGBA).
struct Pixels {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<unsigned char> data;
};

/// Decodes the image (an animation's first frame), after probe_image's checks.
Expected<Pixels> decode_image(std::string_view bytes, std::int64_t pixel_budget = k_default_pixel_budget);

/// Scales in linear light (sRGB decoded first), as eyes average light, not gamma-encoded values;
/// alpha is respected.
Pixels resize_pixels(const Pixels& pixels, int width, int height);

/// Rows [top, top + height) of `pixels`.
Pixels crop_rows(const Pixels& pixels, int top, int height);

/// The EXIF orientation of a JPEG (1–8; 1 when absent or unreadable).
int exif_orientation(std::string_view jpeg);

/// Turns pixels upright according to an EXIF orientation: e-readers do not.
Pixels apply_orientation(const Pixels& pixels, int orientation);

std::string encode_png(const Pixels& pixels);
std::string encode_jpeg(const Pixels& pixels, int quality);

}  // namespace inkpack

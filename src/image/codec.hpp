#pragma once
// The only place that touches pixels: stb_image (and libwebp for WebP) to decode,
// stb_image_resize to scale, libpng and libjpeg-turbo to encode (bench/encoders.cpp measures
// them against stb_image_write). Untrusted bytes meet one set of guards.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "limits.hpp"
#include "util/error.hpp"

namespace inkpack {

struct ImageInfo {
  std::string media_type;  ///< from the bytes: image/png, image/jpeg, image/gif, image/webp
  int width = 0;
  int height = 0;
};


/// Identifies the format from the bytes (never a name or a Content-Type) and reads the
/// dimensions from the header without decoding; refuses images over `pixel_budget`.
Expected<ImageInfo> probe_image(std::string_view bytes, std::int64_t pixel_budget = k_default_pixel_budget);

/// Whether a PNG can show what lies behind it: an alpha channel or a tRNS chunk. Night themes
/// put dark grounds behind such images, where dark lines drawn for a white page disappear.
bool has_transparency(std::string_view png);

/// Whether a GIF holds more than one frame (an animation). Walks the blocks, bounds-checked.
bool is_animated_gif(std::string_view gif);

/// 8-bit pixels, row after row with no padding; 1 channel (grey), 3 (RGB) or 4 (RGBA).
/// The memory is stb's own allocator's, so that decoded images are adopted without a copy.
struct Pixels {
  struct Free {
    void operator()(unsigned char* p) const;
  };
  int width = 0;
  int height = 0;
  int channels = 0;
  std::unique_ptr<unsigned char[], Free> data;

  /// Uninitialised pixels; throws std::bad_alloc when there is no room.
  static Pixels allocate(int width, int height, int channels);
  std::size_t size() const { return static_cast<std::size_t>(width) * height * channels; }
};

/// Rows of pixels owned elsewhere: a whole image or a band of it.
struct PixelView {
  const unsigned char* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 0;

  PixelView() = default;
  PixelView(const Pixels& p) : data(p.data.get()), width(p.width), height(p.height), channels(p.channels) {}
  PixelView(const unsigned char* d, int w, int h, int c) : data(d), width(w), height(h), channels(c) {}
  /// Rows [top, top + count).
  PixelView rows(int top, int count) const {
    return {data + static_cast<std::size_t>(top) * width * channels, width, count, channels};
  }
};

/// Decodes the image (an animation's first frame), after probe_image's checks. Grey images stay
/// one channel; anything with alpha becomes RGBA, the rest RGB.
Expected<Pixels> decode_image(std::string_view bytes, std::int64_t pixel_budget = k_default_pixel_budget);

/// Half the width and height (an odd last row or column dropped), each pixel the mean of four in
/// linear light: a cheap first step of a large reduction, which resize_rows finishes. Opaque
/// pixels only (1 or 3 channels): averaging alpha needs weighting that stb_image_resize does.
Pixels halve(const Pixels& pixels);

/// Rows [top, top + count) of the image scaled to width x height, in linear light (sRGB decoded
/// first), as eyes average light, not gamma-encoded values; alpha is respected. A band of the
/// scaled image is that band of the whole (to float rounding, ±1), so a long image is scaled a
/// slice at a time without seams.
Pixels resize_rows(const Pixels& pixels, int width, int height, int top, int count);

/// The EXIF orientation of a JPEG (1–8; 1 when absent or unreadable).
int exif_orientation(std::string_view jpeg);

/// Turns pixels upright according to an EXIF orientation (2–8): e-readers do not.
Pixels apply_orientation(const Pixels& pixels, int orientation);

/// Luma (Rec. 601, on the stored sRGB values, as e-ink controllers do) of RGB or RGBA pixels:
/// RGB becomes one channel; RGBA keeps its alpha, with grey colour channels.
Pixels to_grey(const Pixels& pixels);

/// Lossless PNG in the smallest form that holds the pixels exactly: a palette (with fewer bits
/// per pixel when few colours) when 256 colours or fewer, grey when grey, else RGB(A). libpng,
/// not stb_image_write, which can write neither a palette nor a grey image from colour pixels.
std::string encode_png(PixelView pixels);
/// Baseline JPEG with Huffman tables fitted to the image (libjpeg-turbo); grey stays one channel.
std::string encode_jpeg(PixelView pixels, int quality);

}  // namespace inkpack

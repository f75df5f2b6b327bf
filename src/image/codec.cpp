#include "image/codec.hpp"

#include <webp/decode.h>
#include <zlib.h>

#include <climits>
#include <cstdlib>
#include <cstring>

// Static, so these guarded copies never clash with Debian's libstb.so; the dimension cap is
// stb's own defence against hostile headers ("denial-of-service attacks on untrusted data").
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_GIF
#define STBI_MAX_DIMENSIONS (1 << 16)
#include <stb_image.h>

#define STB_IMAGE_RESIZE_STATIC
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>

// stb_image_write's own deflate is slow and compresses poorly; zlib's (already linked through
// libzip) makes PNGs faster and smaller, with the same encoder around it.
namespace {
unsigned char* zlib_compress(unsigned char* data, int size, int* out_size, int /*stb's level*/) {
  uLongf bound = compressBound(static_cast<uLong>(size));
  auto* out = static_cast<unsigned char*>(std::malloc(bound));
  if (out && compress2(out, &bound, data, static_cast<uLong>(size), 6) == Z_OK) {
    *out_size = static_cast<int>(bound);
    return out;
  }
  std::free(out);
  return nullptr;
}
}  // namespace
#define STBIW_ZLIB_COMPRESS zlib_compress
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

namespace inkpack {
namespace {

std::string sniff(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (b.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "image/gif";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  if (b.starts_with("BM")) return "image/bmp";
  const std::string_view head = b.substr(0, 512);
  if (head.find("<svg") != std::string_view::npos) return "image/svg+xml";
  if (head.find("<html") != std::string_view::npos || head.find("<!DOCTYPE") != std::string_view::npos ||
      head.find("<!doctype") != std::string_view::npos)
    return "text/html";
  return {};
}

std::uint32_t big_endian(std::string_view b, std::size_t at, int bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(b[at + i]);
  return value;
}

// Dimensions read straight from the header, so an absurd size is refused with a clear reason
// before any decoder (stb refuses some itself, with a vaguer one) sees it.
bool header_dimensions(std::string_view b, const std::string& type, std::int64_t& w, std::int64_t& h) {
  if (type == "image/png" && b.size() >= 24 && b.substr(12, 4) == "IHDR") {
    w = big_endian(b, 16, 4);
    h = big_endian(b, 20, 4);
    return true;
  }
  if (type == "image/gif" && b.size() >= 10) {
    w = static_cast<unsigned char>(b[6]) | (static_cast<unsigned char>(b[7]) << 8);
    h = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
    return true;
  }
  if (type == "image/jpeg") {
    for (std::size_t at = 2; at + 9 < b.size();) {
      if (static_cast<unsigned char>(b[at]) != 0xFF) return false;
      const unsigned marker = static_cast<unsigned char>(b[at + 1]);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        h = big_endian(b, at + 5, 2);
        w = big_endian(b, at + 7, 2);
        return true;
      }
      at += 2 + big_endian(b, at + 2, 2);
    }
  }
  return false;
}

// Debian 12's stb_image (2.27) does not check that a JPEG's Huffman table sizes add up to at most
// 256 and writes past its table if they do not (fixed upstream in 2.28). Walks the markers up
// to the image data and refuses such a table before stb sees it.
bool jpeg_tables_sane(std::string_view b) {
  for (std::size_t at = 2; at + 4 <= b.size();) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return true;  // stb reports what follows
    const unsigned marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return true;  // image data: no more tables
    const std::size_t length = big_endian(b, at + 2, 2);
    if (length < 2 || at + 2 + length > b.size()) return true;
    if (marker == 0xC4) {
      for (std::size_t t = at + 4; t < at + 2 + length;) {
        if (t + 17 > at + 2 + length) return false;
        std::size_t count = 0;
        for (std::size_t i = 1; i <= 16; ++i) count += static_cast<unsigned char>(b[t + i]);
        if (count > 256) return false;
        t += 17 + count;
      }
    }
    at += 2 + length;
  }
  return true;
}

void append_bytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

Expected<ImageInfo> probe_image(std::string_view bytes, std::int64_t pixel_budget) {
  ImageInfo info;
  info.media_type = sniff(bytes);
  if (info.media_type.empty()) return fail("not an image (unrecognised bytes)");
  if (info.media_type == "text/html") return fail("an HTML page, not an image");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return fail("image is too large");
  const auto over_budget = [&](std::int64_t w, std::int64_t h) {
    return fail(std::to_string(w) + "x" + std::to_string(h) + " pixels is over the budget of " +
                std::to_string(pixel_budget / 1'000'000) + " megapixels");
  };
  // Each side is checked alone first: two 32-bit sides could overflow the product.
  constexpr std::int64_t k_max_side = 1 << 16;
  if (std::int64_t w = 0, h = 0; header_dimensions(bytes, info.media_type, w, h) &&
                                 (w > k_max_side || h > k_max_side || w * h > pixel_budget))
    return over_budget(w, h);
  if (info.media_type == "image/jpeg" && !jpeg_tables_sane(bytes)) return fail("corrupt image/jpeg: bad Huffman table");
  if (info.media_type == "image/webp") {
    if (!WebPGetInfo(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &info.width, &info.height))
      return fail("unreadable image/webp");
  } else if (info.media_type == "image/png" || info.media_type == "image/jpeg" || info.media_type == "image/gif") {
    int components = 0;
    if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()),
                               &info.width, &info.height, &components))
      return fail("unreadable " + info.media_type + ": " + stbi_failure_reason());
  } else {
    return fail(info.media_type + " is not supported (PNG, JPEG, GIF and WebP are)");
  }
  if (static_cast<std::int64_t>(info.width) * info.height > pixel_budget) return over_budget(info.width, info.height);
  return info;
}

Expected<Pixels> decode_image(std::string_view bytes, std::int64_t pixel_budget) {
  auto info = probe_image(bytes, pixel_budget);
  if (!info) return std::unexpected(info.error());
  Pixels out;
  if (info->media_type == "image/webp") {
    int w = 0, h = 0;
    std::uint8_t* rgba = WebPDecodeRGBA(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &w, &h);
    if (!rgba) return fail("corrupt image/webp");
    out = {w, h, 4, std::vector<unsigned char>(rgba, rgba + static_cast<std::size_t>(w) * h * 4)};
    WebPFree(rgba);
    return out;
  }
  int w = 0, h = 0, components = 0;
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  stbi_info_from_memory(data, static_cast<int>(bytes.size()), &w, &h, &components);
  const int channels = (components == 2 || components == 4) ? 4 : 3;
  stbi_uc* pixels = stbi_load_from_memory(data, static_cast<int>(bytes.size()), &w, &h, &components, channels);
  if (!pixels) return fail("corrupt " + info->media_type + ": " + stbi_failure_reason());
  out = {w, h, channels, std::vector<unsigned char>(pixels, pixels + static_cast<std::size_t>(w) * h * channels)};
  stbi_image_free(pixels);
  return out;
}

Pixels resize_pixels(const Pixels& in, int width, int height) {
  Pixels out{width, height, in.channels, std::vector<unsigned char>(static_cast<std::size_t>(width) * height * in.channels)};
  stbir_resize_uint8_srgb(in.data.data(), in.width, in.height, 0, out.data.data(), width, height, 0, in.channels,
                          in.channels == 4 ? 3 : STBIR_ALPHA_CHANNEL_NONE, 0);
  return out;
}

Pixels crop_rows(const Pixels& in, int top, int height) {
  const std::size_t row = static_cast<std::size_t>(in.width) * in.channels;
  Pixels out{in.width, height, in.channels, {}};
  out.data.assign(in.data.begin() + static_cast<std::ptrdiff_t>(row * top),
                  in.data.begin() + static_cast<std::ptrdiff_t>(row * (top + height)));
  return out;
}

int exif_orientation(std::string_view b) {
  for (std::size_t at = 2; at + 4 <= b.size();) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return 1;
    const unsigned marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xDA || marker == 0xD9) return 1;
    const std::size_t length = big_endian(b, at + 2, 2);
    if (length < 2 || at + 2 + length > b.size()) return 1;
    const std::string_view segment = b.substr(at + 4, length - 2);
    if (marker == 0xE1 && segment.starts_with(std::string_view("Exif\0\0", 6)) && segment.size() >= 14) {
      const std::string_view tiff = segment.substr(6);
      const bool little = tiff.starts_with("II");
      const auto read = [&](std::size_t pos, int bytes) -> std::uint32_t {
        if (pos + bytes > tiff.size()) return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < bytes; ++i)
          v |= std::uint32_t{static_cast<unsigned char>(tiff[pos + (little ? i : bytes - 1 - i)])} << (8 * i);
        return v;
      };
      const std::size_t ifd = read(4, 4);
      const std::uint32_t entries = read(ifd, 2);
      for (std::uint32_t e = 0; e < entries && e < 512; ++e) {
        const std::size_t entry = ifd + 2 + e * 12;
        if (entry + 12 > tiff.size()) return 1;
        if (read(entry, 2) == 0x0112) {
          const std::uint32_t value = read(entry + 8, 2);
          return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
        }
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

Pixels apply_orientation(const Pixels& in, int orientation) {
  if (orientation <= 1 || orientation > 8) return in;
  const bool transpose = orientation >= 5;
  Pixels out{transpose ? in.height : in.width, transpose ? in.width : in.height, in.channels, {}};
  out.data.resize(in.data.size());
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      // The source pixel that lands at (x, y) for each of the EXIF transforms.
      int sx = x, sy = y;
      switch (orientation) {
        case 2: sx = in.width - 1 - x; break;
        case 3: sx = in.width - 1 - x; sy = in.height - 1 - y; break;
        case 4: sy = in.height - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = in.height - 1 - x; break;
        case 7: sx = in.width - 1 - y; sy = in.height - 1 - x; break;
        case 8: sx = in.width - 1 - y; sy = x; break;
      }
      std::memcpy(&out.data[(static_cast<std::size_t>(y) * out.width + x) * in.channels],
                  &in.data[(static_cast<std::size_t>(sy) * in.width + sx) * in.channels], static_cast<std::size_t>(in.channels));
    }
  }
  return out;
}

std::string encode_png(const Pixels& p) {
  std::string out;
  stbi_write_png_to_func(append_bytes, &out, p.width, p.height, p.channels, p.data.data(), p.width * p.channels);
  return out;
}

std::string encode_jpeg(const Pixels& p, int quality) {
  std::string out;
  stbi_write_jpg_to_func(append_bytes, &out, p.width, p.height, p.channels, p.data.data(), quality);
  return out;
}

}  // namespace inkpack

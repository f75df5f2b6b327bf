#include "image/codec.hpp"

#include <png.h>
#include <webp/decode.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>

#include <jpeglib.h>  // after <cstdio>: it uses FILE and size_t without including them
#include <jerror.h>

#include "image/pixel_memory.hpp"

#include <stb_image.h>
#include <stb_image_resize.h>

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
// 256 and writes past its table if they do not (fixed upstream in 2.28). Walks every marker of the
// file as stb finds them — skipping stray bytes and entropy-coded data byte by byte, since
// progressive JPEGs define tables between scans — and refuses such a table before stb sees it.
bool jpeg_tables_sane(std::string_view b) {
  const auto byte = [&](std::size_t at) { return at < b.size() ? static_cast<unsigned char>(b[at]) : 0u; };
  for (std::size_t at = 2; at + 1 < b.size();) {
    const unsigned marker = byte(at + 1);
    if (byte(at) != 0xFF || marker == 0xFF) {  // not a marker (yet): stb reads on
      ++at;
      continue;
    }
    if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;  // a stuffed 0xFF in image data, or a marker without a length
      continue;
    }
    if (marker == 0xD9 || at + 4 > b.size()) return true;
    const std::size_t length = big_endian(b, at + 2, 2);
    if (marker == 0xC4) {
      // As stb reads it: tables until the segment's length is used up; past the end, zeros.
      for (std::size_t t = at + 4; t < at + 2 + length;) {
        std::size_t count = 0;
        for (std::size_t i = 1; i <= 16; ++i) count += byte(t + i);
        if (count > 256) return false;
        t += 17 + count;
      }
    }
    at += 2 + std::max<std::size_t>(length, 2);
  }
  return true;
}

struct JpegErrors {
  jpeg_error_mgr manager;  // first, so libjpeg's pointer to it is a pointer to the whole
  std::jmp_buf jump;
};

// libjpeg's output into a string through a fixed buffer (jpeg_mem_dest would realloc behind our
// back, leaving nothing safe to free after an error).
struct JpegSink {
  jpeg_destination_mgr manager;  // first, as above
  std::string* out;
  std::array<JOCTET, 1 << 16> buffer;

  static void start(j_compress_ptr c) {
    auto* sink = reinterpret_cast<JpegSink*>(c->dest);
    sink->manager.next_output_byte = sink->buffer.data();
    sink->manager.free_in_buffer = sink->buffer.size();
  }
  static boolean flush(j_compress_ptr c) {
    auto* sink = reinterpret_cast<JpegSink*>(c->dest);
    if (!sink->append(sink->buffer.size())) ERREXIT(c, JERR_OUT_OF_MEMORY);
    start(c);
    return TRUE;
  }
  static void finish(j_compress_ptr c) {
    auto* sink = reinterpret_cast<JpegSink*>(c->dest);
    if (!sink->append(sink->buffer.size() - sink->manager.free_in_buffer)) ERREXIT(c, JERR_OUT_OF_MEMORY);
  }
  bool append(std::size_t n) {
    try {
      out->append(reinterpret_cast<const char*>(buffer.data()), n);
      return true;
    } catch (const std::bad_alloc&) {
      return false;  // the caller reports it through libjpeg, outside this handler
    }
  }
};

// A pixel as R | G << 8 | B << 16 | A << 24, whatever its channels.
std::uint32_t colour_at(const unsigned char* px, int channels) {
  switch (channels) {
    case 1: return px[0] * 0x010101u | 0xFF000000u;
    case 3: return px[0] | px[1] << 8 | px[2] << 16 | 0xFF000000u;
    default: return px[0] | px[1] << 8 | px[2] << 16 | std::uint32_t{px[3]} << 24;
  }
}

// The image as palette indices, the colours in order of first appearance; nullopt past 256
// colours, which photographs reach within a few rows.
struct Indexed {
  std::vector<std::uint32_t> colours;
  std::unique_ptr<unsigned char[]> indices;
};

std::optional<Indexed> index_colours(PixelView p) {
  constexpr std::size_t k_slots = 1024;  // open addressing, at most a quarter full
  std::array<std::uint32_t, k_slots> keys{};
  std::array<int, k_slots> slot_index;
  slot_index.fill(-1);
  const std::size_t count = static_cast<std::size_t>(p.width) * p.height;
  Indexed out{{}, std::make_unique_for_overwrite<unsigned char[]>(count)};
  std::uint32_t last = 0;
  int last_index = -1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t c = colour_at(p.data + i * p.channels, p.channels);
    if (c != last || last_index < 0) {
      std::size_t h = (c * 2654435761u) >> 22;
      while (slot_index[h] >= 0 && keys[h] != c) h = (h + 1) % k_slots;
      if (slot_index[h] < 0) {
        if (out.colours.size() == 256) return std::nullopt;
        keys[h] = c;
        slot_index[h] = static_cast<int>(out.colours.size());
        out.colours.push_back(c);
      }
      last = c;
      last_index = slot_index[h];
    }
    out.indices[i] = static_cast<unsigned char>(last_index);
  }
  return out;
}

bool is_grey(PixelView p) {
  if (p.channels < 3) return true;
  const std::size_t count = static_cast<std::size_t>(p.width) * p.height;
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* px = p.data + i * p.channels;
    if (px[0] != px[1] || px[1] != px[2]) return false;
  }
  return true;
}

struct PngLayout {
  int colour_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  std::vector<png_color> palette;
  std::vector<png_byte> alpha;  ///< of the first palette entries; the rest are opaque
};

[[noreturn]] void png_fail(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void png_ignore(png_structp, png_const_charp) {}
void png_append(png_structp png, png_bytep data, std::size_t size) {
  bool full = false;
  try {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), size);
  } catch (const std::bad_alloc&) {
    full = true;  // png_error longjmps: not from inside the handler
  }
  if (full) png_error(png, "out of memory");
}

std::string write_png(const unsigned char* data, int width, int height, std::size_t row_bytes,
                      const PngLayout& layout) {
  // Everything with a destructor is made before setjmp: libpng reports errors by longjmp.
  std::string out;
  std::vector<png_bytep> rows(static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) rows[y] = const_cast<png_bytep>(data + y * row_bytes);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, png_fail, png_ignore);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw std::bad_alloc();
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::bad_alloc();  // the layout is ours, so libpng fails only when memory runs out
  }
  png_set_write_fn(png, &out, png_append, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), layout.bit_depth,
               layout.colour_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!layout.palette.empty())
    png_set_PLTE(png, info, layout.palette.data(), static_cast<int>(layout.palette.size()));
  if (!layout.alpha.empty())
    png_set_tRNS(png, info, layout.alpha.data(), static_cast<int>(layout.alpha.size()), nullptr);
  // Row filters do not help palette indices (the PNG specification's advice); they do the rest.
  png_set_filter(png, 0, layout.colour_type == PNG_COLOR_TYPE_PALETTE ? PNG_FILTER_NONE : PNG_ALL_FILTERS);
  png_set_compression_level(png, 6);
  png_write_info(png, info);
  if (layout.bit_depth < 8) png_set_packing(png);  // our indices are a byte each
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::string write_palette_png(PixelView p, const Indexed& indexed) {
  PngLayout layout{PNG_COLOR_TYPE_PALETTE, 8, {}, {}};
  const std::size_t n = indexed.colours.size();
  layout.bit_depth = n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
  std::size_t last_translucent = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = indexed.colours[i];
    layout.palette.push_back({static_cast<png_byte>(c), static_cast<png_byte>(c >> 8), static_cast<png_byte>(c >> 16)});
    layout.alpha.push_back(static_cast<png_byte>(c >> 24));
    if (c >> 24 != 255) last_translucent = i + 1;
  }
  layout.alpha.resize(last_translucent);
  return write_png(indexed.indices.get(), p.width, p.height, static_cast<std::size_t>(p.width), layout);
}

// Grey RGB(A) pixels as one grey channel (and alpha).
std::string write_grey_png(PixelView p) {
  if (p.channels == 1) return write_png(p.data, p.width, p.height, static_cast<std::size_t>(p.width), {PNG_COLOR_TYPE_GRAY});
  const int channels = p.channels == 4 ? 2 : 1;
  const std::size_t count = static_cast<std::size_t>(p.width) * p.height;
  auto grey = std::make_unique_for_overwrite<unsigned char[]>(count * channels);
  for (std::size_t i = 0; i < count; ++i) {
    grey[i * channels] = p.data[i * p.channels];
    if (channels == 2) grey[i * 2 + 1] = p.data[i * 4 + 3];
  }
  return write_png(grey.get(), p.width, p.height, static_cast<std::size_t>(p.width) * channels,
                   {channels == 2 ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY});
}

}  // namespace

bool has_transparency(std::string_view png) {
  if (!png.starts_with("\x89PNG\r\n\x1a\n") || png.size() < 33) return false;
  const auto colour_type = static_cast<unsigned char>(png[25]);
  if (colour_type == 4 || colour_type == 6) return true;
  // tRNS comes before the first IDAT; chunks are length, type, data, CRC.
  for (std::size_t at = 8; at + 8 <= png.size();) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + i])); };
    const std::uint32_t length = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
    const std::string_view type = png.substr(at + 4, 4);
    if (type == "tRNS") return true;
    if (type == "IDAT" || length > png.size()) return false;
    at += 12 + static_cast<std::size_t>(length);
  }
  return false;
}

bool is_animated_gif(std::string_view b) {
  const auto byte = [&](std::size_t at) { return at < b.size() ? static_cast<unsigned char>(b[at]) : 0u; };
  // Skips a chain of data sub-blocks (each a length byte and that many bytes, ended by 0).
  const auto skip_sub_blocks = [&](std::size_t at) {
    while (at < b.size() && byte(at) != 0) at += 1 + byte(at);
    return at + 1;
  };
  if (b.size() < 13) return false;
  std::size_t at = 13;
  if (byte(10) & 0x80) at += 3u << ((byte(10) & 7) + 1);  // the global colour table
  for (int frames = 0; at < b.size();) {
    const unsigned kind = byte(at);
    if (kind == 0x21) {  // an extension: label, then sub-blocks
      at = skip_sub_blocks(at + 2);
    } else if (kind == 0x2C) {  // an image: descriptor, local colour table, LZW code size, data
      if (++frames > 1) return true;
      const unsigned flags = byte(at + 9);
      at += 10;
      if (flags & 0x80) at += 3u << ((flags & 7) + 1);
      at = skip_sub_blocks(at + 1);
    } else {
      return false;  // the trailer, or damage
    }
  }
  return false;
}

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

void Pixels::Free::operator()(unsigned char* p) const { pixel_memory::release(p); }

Pixels Pixels::allocate(int width, int height, int channels) {
  Pixels p{width, height, channels, nullptr};
  p.data.reset(static_cast<unsigned char*>(pixel_memory::allocate(p.size())));
  if (!p.data) throw std::bad_alloc();
  return p;
}

Expected<Pixels> decode_image(std::string_view bytes, std::int64_t pixel_budget) {
  auto info = probe_image(bytes, pixel_budget);
  if (!info) return std::unexpected(info.error());
  if (info->media_type == "image/webp") {
    Pixels out = Pixels::allocate(info->width, info->height, 4);
    if (!WebPDecodeRGBAInto(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), out.data.get(),
                            out.size(), out.width * 4))
      return fail("corrupt image/webp");
    return out;
  }
  int w = 0, h = 0, components = 0;
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  stbi_info_from_memory(data, static_cast<int>(bytes.size()), &w, &h, &components);
  const int channels = components == 1 ? 1 : (components == 2 || components == 4) ? 4 : 3;
  // stb allocates with pixel_memory (see STBI_MALLOC), so Pixels can adopt its buffer.
  stbi_uc* pixels = stbi_load_from_memory(data, static_cast<int>(bytes.size()), &w, &h, &components, channels);
  if (!pixels) return fail("corrupt " + info->media_type + ": " + stbi_failure_reason());
  Pixels out{w, h, channels, nullptr};
  out.data.reset(pixels);
  return out;
}

Pixels to_grey(const Pixels& in) {
  Pixels out = Pixels::allocate(in.width, in.height, in.channels == 4 ? 4 : 1);
  const std::size_t count = static_cast<std::size_t>(in.width) * in.height;
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* px = &in.data[i * in.channels];
    const auto luma = static_cast<unsigned char>((299 * px[0] + 587 * px[1] + 114 * px[2] + 500) / 1000);
    unsigned char* o = &out.data[i * out.channels];
    if (out.channels == 1) {
      o[0] = luma;
    } else {
      o[0] = o[1] = o[2] = luma;
      o[3] = px[3];
    }
  }
  return out;
}

Pixels halve(const Pixels& in) {
  // sRGB to 16-bit linear light, and 12-bit linear back to sRGB: averages of light, not of codes.
  static const auto tables = [] {
    std::pair<std::array<std::uint16_t, 256>, std::array<unsigned char, 4096>> t;
    for (int i = 0; i < 256; ++i) {
      const double c = i / 255.0;
      t.first[i] = static_cast<std::uint16_t>(std::lround(65535 * (c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4))));
    }
    for (int i = 0; i < 4096; ++i) {
      const double l = (i + 0.5) / 4096.0;
      t.second[i] = static_cast<unsigned char>(std::lround(255 * (l <= 0.0031308 ? l * 12.92 : 1.055 * std::pow(l, 1 / 2.4) - 0.055)));
    }
    return t;
  }();
  const auto& [to_linear, to_srgb] = tables;
  Pixels out = Pixels::allocate(in.width / 2, in.height / 2, in.channels);
  const std::size_t in_row = static_cast<std::size_t>(in.width) * in.channels;
  const std::size_t out_row = static_cast<std::size_t>(out.width) * out.channels;
  for (int y = 0; y < out.height; ++y) {
    const unsigned char* top = in.data.get() + 2 * y * in_row;
    const unsigned char* bottom = top + in_row;
    unsigned char* dst = out.data.get() + y * out_row;
    for (int x = 0; x < out.width; ++x)
      for (int c = 0; c < in.channels; ++c) {
        const std::size_t a = (2 * x) * in.channels + c, b = a + in.channels;
        const unsigned sum = to_linear[top[a]] + to_linear[top[b]] + to_linear[bottom[a]] + to_linear[bottom[b]];
        dst[x * in.channels + c] = to_srgb[sum >> 6];  // the mean of four, as 12 bits
      }
  }
  return out;
}

Pixels resize_rows(const Pixels& in, int width, int height, int top, int count) {
  Pixels out = Pixels::allocate(width, count, in.channels);
  // The vertical shift (in output pixels) starts the band at `top`; the filters still read the
  // source rows above and below it, so bands join without a seam.
  const int ok = stbir_resize_subpixel(
      in.data.get(), in.width, in.height, 0, out.data.get(), width, count, 0, STBIR_TYPE_UINT8, in.channels,
      in.channels == 4 ? 3 : STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_EDGE_CLAMP, STBIR_FILTER_DEFAULT,
      STBIR_FILTER_DEFAULT, STBIR_COLORSPACE_SRGB, nullptr, static_cast<float>(width) / in.width,
      static_cast<float>(height) / in.height, 0.0f, static_cast<float>(top));
  if (!ok) throw std::bad_alloc();  // stbir fails only when its working memory cannot be had
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
  const bool transpose = orientation >= 5;
  Pixels out = Pixels::allocate(transpose ? in.height : in.width, transpose ? in.width : in.height, in.channels);
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

std::string encode_png(PixelView p) {
  const bool grey = is_grey(p);
  // Opaque grey past 16 colours is smaller as grey than as a palette (no colour table);
  // everything else with 256 colours or fewer is smaller as a palette.
  if (auto indexed = index_colours(p); indexed && (indexed->colours.size() <= 16 || !grey || p.channels == 4))
    return write_palette_png(p, *indexed);
  if (grey) return write_grey_png(p);
  return write_png(p.data, p.width, p.height, static_cast<std::size_t>(p.width) * p.channels,
                   {p.channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB});
}

std::string encode_jpeg(PixelView p, int quality) {
  // Everything with a destructor is made before setjmp: libjpeg's errors come by longjmp. The
  // structs it changes afterwards live in memory (their addresses are taken), not in registers.
  std::string out;
  auto sink = std::make_unique<JpegSink>();
  sink->manager = {nullptr, 0, JpegSink::start, JpegSink::flush, JpegSink::finish};
  sink->out = &out;
  jpeg_compress_struct info{};
  JpegErrors errors{};
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = [](j_common_ptr c) { std::longjmp(reinterpret_cast<JpegErrors*>(c->err)->jump, 1); };
  if (setjmp(errors.jump)) {
    jpeg_destroy_compress(&info);
    throw std::bad_alloc();  // the layout is ours, so libjpeg fails only when memory runs out
  }
  jpeg_create_compress(&info);
  info.dest = &sink->manager;
  info.image_width = static_cast<JDIMENSION>(p.width);
  info.image_height = static_cast<JDIMENSION>(p.height);
  info.input_components = p.channels;
  // Alpha (only ever opaque here) is skipped by libjpeg-turbo itself, without a copy.
  info.in_color_space = p.channels == 1 ? JCS_GRAYSCALE : p.channels == 4 ? JCS_EXT_RGBX : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  info.optimize_coding = TRUE;  // Huffman tables fitted to the image: 4% smaller at equal PSNR
  jpeg_start_compress(&info, TRUE);
  const std::size_t row_bytes = static_cast<std::size_t>(p.width) * p.channels;
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(p.data + info.next_scanline * row_bytes);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return out;
}

}  // namespace inkpack

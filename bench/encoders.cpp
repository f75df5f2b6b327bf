// Measures inkpack's encoders against stb_image_write on the benchmark corpus, at the phone
// profile's size: PNG (inkpack's encode_png, libpng with palette and grey) both lossless; JPEG
// (inkpack's encode_jpeg, libjpeg-turbo) at the same quality setting, with the PSNR of each
// against the pixels encoded, so "smaller at equal quality" is checked, not assumed.
//   inkpack-encoders IMAGE...        (bench/run.sh --encoders runs it on ../shared/bench/images)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "image/codec.hpp"
#include "util/files.hpp"

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

namespace {
using namespace inkpack;

void append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string stb_png(PixelView p) {
  std::string out;
  stbi_write_png_to_func(append, &out, p.width, p.height, p.channels, p.data, p.width * p.channels);
  return out;
}

std::string stb_jpeg(PixelView p, int quality) {
  std::string out;
  stbi_write_jpg_to_func(append, &out, p.width, p.height, p.channels, p.data, quality);
  return out;
}

// PSNR of the decoded `jpeg` against `p`, over the colour channels.
double psnr(PixelView p, const std::string& jpeg) {
  auto back = decode_image(jpeg);
  if (!back || back->width != p.width || back->height != p.height) return 0;
  double error = 0;
  std::size_t count = 0;
  const int channels = std::min(3, p.channels);
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.width) * p.height; ++i)
    for (int c = 0; c < channels; ++c) {
      const double d = p.data[i * p.channels + c] - back->data[i * back->channels + std::min(c, back->channels - 1)];
      error += d * d;
      ++count;
    }
  return error == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / (error / count));
}

// The pixels shrink_image would encode: the image fitted to the phone box (a long image's first
// page-high slice).
Pixels fitted(Pixels p) {
  constexpr int box_w = 1080, box_h = 1600;
  const bool long_image = p.height > 2 * p.width * box_h / box_w;
  const double scale = std::min({1.0, static_cast<double>(box_w) / p.width,
                                 long_image ? 1.0 : static_cast<double>(box_h) / p.height});
  const int w = std::max(1, static_cast<int>(std::lround(p.width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(p.height * scale)));
  return scale < 1.0 || long_image ? resize_rows(p, w, h, 0, std::min(h, box_h)) : std::move(p);
}

}  // namespace

int main(int argc, char** argv) {
  constexpr int k_quality = 80;
  std::size_t png_stb = 0, png_lib = 0, jpg_stb = 0, jpg_turbo = 0;
  double psnr_stb = 0, psnr_turbo = 0;
  std::printf("%-22s %11s %9s %9s %9s %9s %7s %7s\n", "image", "size", "png stb", "libpng", "jpg stb", "turbo",
              "dB stb", "dB trb");
  for (int i = 1; i < argc; ++i) {
    auto bytes = read_file(argv[i]);
    auto decoded = bytes ? decode_image(*bytes) : std::unexpected(Error{"unreadable"});
    if (!decoded) {
      std::fprintf(stderr, "%s: %s\n", argv[i], decoded.error().message.c_str());
      continue;
    }
    const Pixels p = fitted(std::move(*decoded));
    const std::string a = stb_png(p), b = encode_png(p), c = stb_jpeg(p, k_quality), d = encode_jpeg(p, k_quality);
    const double pc = psnr(p, c), pd = psnr(p, d);
    png_stb += a.size(), png_lib += b.size(), jpg_stb += c.size(), jpg_turbo += d.size();
    psnr_stb += pc, psnr_turbo += pd;
    char size[24];
    std::snprintf(size, sizeof size, "%dx%d", p.width, p.height);
    std::printf("%-22s %11s %9zu %9zu %9zu %9zu %7.2f %7.2f\n",
                std::filesystem::path(argv[i]).filename().c_str(), size, a.size(), b.size(), c.size(), d.size(), pc, pd);
  }
  const int n = std::max(1, argc - 1);
  std::printf("total: PNG libpng/stb %.3f; JPEG q%d turbo/stb %.3f, mean PSNR stb %.2f dB, turbo %.2f dB\n",
              static_cast<double>(png_lib) / std::max<std::size_t>(1, png_stb), k_quality,
              static_cast<double>(jpg_turbo) / std::max<std::size_t>(1, jpg_stb), psnr_stb / n, psnr_turbo / n);
}

#include "image/shrink.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

#include "util/text.hpp"
#include "util/thread_pool.hpp"

namespace inkpack {
namespace {

bool has_transparency(const Pixels& p) {
  if (p.channels != 4) return false;
  for (std::size_t i = 3; i < p.size(); i += 4)
    if (p.data[i] != 255) return true;
  return false;
}

// Photographs have thousands of distinct colours even in a sample; screenshots, charts and text
// have few, and JPEG would blur their edges.
bool looks_like_photo(const Pixels& p) {
  constexpr std::size_t k_samples = 40000;
  constexpr std::size_t k_photo_colours = 3000;
  const std::size_t total = static_cast<std::size_t>(p.width) * p.height;
  const std::size_t step = std::max<std::size_t>(1, total / k_samples);
  std::unordered_set<std::uint32_t> colours;
  for (std::size_t i = 0; i < total; i += step) {
    const unsigned char* px = &p.data[i * p.channels];
    colours.insert(p.channels < 3 ? px[0] : (std::uint32_t{px[0]} << 16) | (std::uint32_t{px[1]} << 8) | px[2]);
    if (colours.size() > k_photo_colours) return true;
  }
  return false;
}

EncodedImage encode_for_content(PixelView p, bool photo, bool transparent, int quality) {
  if (photo && !transparent) return {encode_jpeg(p, quality), "image/jpeg", p.width, p.height};
  return {encode_png(p), "image/png", p.width, p.height};
}

// Fits pixels too large for the box: scaled down, a long image cut into page-high slices.
std::vector<EncodedImage> scale_to_box(Pixels pixels, const ImagePolicy& policy, bool photo, bool transparent) {
  const int box_w = policy.profile.width, box_h = policy.profile.height;
  const int width = pixels.width, height = pixels.height;
  const bool long_image = static_cast<double>(height) / width > 2.0 * box_h / box_w;
  const double scale = std::min(1.0, long_image ? static_cast<double>(box_w) / width
                                                : std::min(static_cast<double>(box_w) / width,
                                                           static_cast<double>(box_h) / height));
  const int w = std::max(1, static_cast<int>(std::lround(width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(height * scale)));
  // Box-halving first is four times cheaper per source pixel than stb_image_resize's filter and,
  // with at least as many pixels as the target left, looks the same.
  while (pixels.channels != 4 && pixels.width >= 2 * w && pixels.height >= 2 * h) pixels = halve(pixels);
  // A long image becomes page-high slices, each scaled and encoded on its own: the cores share
  // the work, and the whole scaled image is never held at once.
  const int slice_h = long_image ? box_h : h;
  std::vector<EncodedImage> parts(static_cast<std::size_t>((h + slice_h - 1) / slice_h));
  parallel_for(parts.size(), [&](std::size_t i) {
    const int top = static_cast<int>(i) * slice_h, rows = std::min(slice_h, h - top);
    if (scale == 1.0) {
      parts[i] = encode_for_content(PixelView(pixels).rows(top, rows), photo, transparent, policy.jpeg_quality);
    } else {
      const Pixels slice = resize_rows(pixels, w, h, top, rows);
      parts[i] = encode_for_content(slice, photo, transparent, policy.jpeg_quality);
    }
  });
  return parts;
}

std::vector<EncodedImage> shrink_pixels(std::string_view original, const std::string& media_type, Pixels pixels,
                                        bool original_usable, bool photo_before_grey, const ImagePolicy& policy) {
  const bool fits = pixels.width <= policy.profile.width && pixels.height <= policy.profile.height;
  const auto as_it_is = [&] {
    std::vector<EncodedImage> kept(1);
    kept[0] = {std::string(original), media_type, pixels.width, pixels.height, {}};
    return kept;
  };
  // JPEG that already fits and stands upright (and needs no greying): encoding it again only
  // loses quality, unless the book must get smaller.
  const bool jpeg_as_is = fits && media_type == "image/jpeg" && original_usable;
  if (jpeg_as_is && !policy.recompress_jpeg) return as_it_is();
  const bool transparent = has_transparency(pixels);
  const bool photo = photo_before_grey || looks_like_photo(pixels) || jpeg_as_is;
  if (!fits) return scale_to_box(std::move(pixels), policy, photo, transparent);
  EncodedImage encoded = encode_for_content(pixels, photo, transparent, policy.jpeg_quality);
  if (((media_type == "image/png" && original_usable) || jpeg_as_is) && encoded.bytes.size() >= original.size())
    return as_it_is();
  std::vector<EncodedImage> parts(1);
  parts[0] = std::move(encoded);
  return parts;
}

// E-reader screens: the Kindle Paperwhite (6.8", 300 ppi), the Kobo Libra 2 (7", 300 ppi), and
// the 6" 300 ppi panel of the Kindle, Kobo Clara and most others. The cover fills the screen.
const std::array<Profile, 4> k_profiles{{
    k_phone_profile,
    {"kindle", 1236, 1648, true, 1236, 1648},
    {"kobo", 1264, 1680, true, 1264, 1680},
    {"eink", 1072, 1448, true, 1072, 1448},
}};

}  // namespace

const Profile* find_profile(std::string_view name) {
  for (const Profile& profile : k_profiles)
    if (profile.name == name) return &profile;
  return nullptr;
}

std::string profile_names() {
  std::string names;
  for (const Profile& profile : k_profiles) names += (names.empty() ? "" : ", ") + profile.name;
  return names;
}

Expected<std::vector<EncodedImage>> shrink_image(std::string_view original, const ImagePolicy& policy) {
  auto info = probe_image(original, policy.pixel_budget);
  if (!info) return std::unexpected(info.error());
  // Decoded even when kept as it is: a corrupt image must not reach the book.
  auto pixels = decode_image(original, policy.pixel_budget);
  if (!pixels) return std::unexpected(pixels.error());
  const int orientation = info->media_type == "image/jpeg" ? exif_orientation(original) : 1;
  if (orientation != 1) pixels = apply_orientation(*pixels, orientation);
  // A colour original can no longer be kept as it is; whether it is a photograph is judged on
  // its colours, as 256 greys look like few colours to looks_like_photo.
  const bool greyed = policy.profile.grey && pixels->channels >= 3;
  const bool photo_before_grey = greyed && looks_like_photo(*pixels);
  if (greyed) pixels = to_grey(*pixels);
  const bool fits = pixels->width <= policy.profile.width && pixels->height <= policy.profile.height;
  std::string note;  // stb writes no GIF, so an animation is kept as it is or not at all
  if (policy.keep_animation && info->media_type == "image/gif" && is_animated_gif(original)) {
    if (fits && original.size() <= k_max_image_bytes)
      return std::vector<EncodedImage>{{std::string(original), info->media_type, pixels->width, pixels->height, {}}};
    note = fits ? "an animation over " + human_size(k_max_image_bytes) + ", kept as its first frame"
                : "an animation larger than the " + policy.profile.name + " screen, kept as its first frame";
  }
  auto parts = shrink_pixels(original, info->media_type, std::move(*pixels), orientation == 1 && !greyed, photo_before_grey, policy);
  parts.front().note = note;
  return parts;
}

}  // namespace inkpack

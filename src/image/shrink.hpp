#pragma once
// What the book stores for one source image, for one device profile: the size and format policy.
#include <string>
#include <string_view>
#include <vector>

#include "image/codec.hpp"
#include "limits.hpp"
#include "util/error.hpp"

namespace inkpack {

/// The screen a book is made for: images fit this box (CSS pixels at 1x are not the point; these
/// are the device's real pixels). The README's table lists the profiles.
struct Profile {
  std::string name;
  int width;
  int height;
  bool grey = false;  ///< an e-ink screen: grey images are smaller and look the same there
  int cover_width;
  int cover_height;
};

/// Phones: a long edge of 1600 px is sharp on a typical 1080-wide screen and small enough to
/// share. The cover is the 1600x2560 that stores and Send to Kindle ask for.
inline const Profile k_phone_profile{"phone", 1080, 1600, false, 1600, 2560};

/// The profiles by name (phone, kindle, kobo, eink); nullptr for an unknown name.
const Profile* find_profile(std::string_view name);
/// "phone, kindle, kobo, eink", for help and errors.
std::string profile_names();

struct ImagePolicy {
  Profile profile = k_phone_profile;
  int jpeg_quality = 80;
  std::int64_t pixel_budget = k_default_pixel_budget;
  bool keep_animation = false;  ///< keep animated GIFs that fit the box and k_max_image_bytes
  bool recompress_jpeg = false;  ///< re-encode a JPEG that fits too, keeping the smaller (--max-size)
};

/// Changes whenever shrink_image would give other bytes for the same input: it is part of the
/// cache key of shrunk images, so a cache filled by an older inkpack is not reused.
constexpr int k_shrink_version = 10;

struct EncodedImage {
  std::string bytes;
  std::string media_type;
  int width = 0;
  int height = 0;
  std::string note;  ///< what a reader should know was lost (an animation that became a still)
};

/// Fits the image to the profile's box, never enlarging; a long image (an infographic many
/// screens tall) keeps the profile's width and is cut into page-high slices, top to bottom.
/// A JPEG's EXIF orientation is applied. Photographs become JPEG, flat graphics and anything
/// with transparency PNG. An animation becomes a still of its first frame, unless the policy
/// keeps animations and it fits as it is. The original bytes are kept when they already fit and
/// re-encoding would not make them smaller.
Expected<std::vector<EncodedImage>> shrink_image(std::string_view original, const ImagePolicy& policy);

}  // namespace inkpack

#pragma once
// A generated cover: the title, the people and the account typeset with stb_truetype on a plain
// colour field, for books whose source has no cover of its own.
#include <string>
#include <string_view>

#include "image/shrink.hpp"
#include "util/error.hpp"

namespace inkpack {

struct CoverText {
  std::string title;
  std::string people;     ///< authors, already joined
  std::string publisher;  ///< the account or site
};

/// A JPEG of the profile's cover size (grey for e-ink). `font` is the bytes of a TrueType or CFF
/// OpenType font that HarfBuzz has rebuilt (subset_font): stb_truetype trusts its input, so it
/// never sees a font file as the user gave it; empty, the cover has no lettering. Characters the font lacks are left out; a title
/// too long for six lines ends in an ellipsis.
Expected<std::string> render_cover(const CoverText& text, std::string_view font, const Profile& profile);

}  // namespace inkpack

#pragma once
// Book-level metadata derived from the text when the input does not say it.
#include <string>
#include <string_view>

#include "model/document.hpp"

namespace inkpack {

/// BCP 47 tag of the text's main language: zh-CN, ja, ko, or en when Latin letters dominate.
std::string detect_language(const Blocks& blocks);

/// A stable urn:uuid derived from the input bytes: the same article gives the same identifier, so
/// reading systems treat a rebuilt book as the same book.
std::string identifier_for(std::string_view input_bytes);

}  // namespace inkpack

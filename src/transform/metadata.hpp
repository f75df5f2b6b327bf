#pragma once
// Book-level metadata derived from the text when the input does not say it.
#include <string>
#include <string_view>

#include "model/document.hpp"
#include "util/diagnostics.hpp"

namespace inkpack {

/// BCP 47 tag of the text's main language: zh-CN, ja (kana), ko (hangul), ru when Cyrillic
/// letters dominate, else en.
std::string detect_language(const Blocks& blocks);

/// Whether `tag` has the shape of a BCP 47 language tag (zh-CN, en, zh-Hant-TW).
bool is_language_tag(std::string_view tag);

/// Makes metadata safe to write: characters XML cannot carry replaced, whitespace trimmed and
/// collapsed, empty authors and tags dropped, `zh_CN` spelled `zh-CN`; a language that is still
/// no tag, or a date that is not YYYY[-MM[-DD]], is dropped with a warning naming `source`.
void clean_metadata(Metadata& meta, const std::string& source, Diagnostics& diags);

/// A stable urn:uuid derived from the input bytes: the same article gives the same identifier, so
/// reading systems treat a rebuilt book as the same book.
std::string identifier_for(std::string_view input_bytes);

}  // namespace inkpack

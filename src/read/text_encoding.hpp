#pragma once
// Articles arrive as UTF-8 mostly, but Windows editors save UTF-16 and older Chinese sites and
// tools GBK. This finds which, and converts to UTF-8 with iconv.
#include <string>
#include <string_view>

#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

struct DecodedText {
  std::string text;      ///< UTF-8 (still to be sanitised: invalid sequences may remain)
  std::string encoding;  ///< what it was converted from ("UTF-16", "GB18030"); empty: left as is
};

/// UTF-16 with a byte-order mark is converted; text that is mostly not UTF-8 but reads as
/// GB18030 (a superset of GBK and GB2312) without a single error is converted; anything else is
/// returned as is.
DecodedText decode_text(std::string_view bytes);

/// An article's bytes as clean UTF-8 for a reader: converted from UTF-16 or GB18030 (warned, to
/// check), invalid sequences and control characters replaced (warned with their lines).
std::string article_text(std::string_view bytes, const std::string& source_name, Diagnostics& diags);

/// Refuses what is not a text article, before anything reads it as one: a file, standard input
/// or a fetched page that is an image, an archive (an EPUB), a PDF or other binary data, or a page
/// whose server says it is an image or an application's file (`content_type`, empty for files).
/// Text with a UTF-16 byte-order mark, GB18030 and a stray control character pass.
Expected<void> require_text_article(std::string_view bytes, const std::string& name, std::string_view content_type = {});

}  // namespace inkpack

#pragma once
// UTF-8 and character-class helpers shared by the readers and transforms.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inkpack {

/// Where sanitize_utf8 replaced bytes: 1-based line numbers, one per bad sequence.
struct Utf8Repair {
  std::string text;
  std::vector<int> bad_lines;
};

/// Replaces invalid UTF-8 and characters XML cannot carry (C0 controls but tab and LF, U+FFFE/F)
/// with U+FFFD; normalises CRLF and lone CR to LF; drops a leading BOM.
Utf8Repair sanitize_utf8(std::string_view input);

/// Decodes the code point starting at `pos` of valid UTF-8 and advances `pos`.
char32_t next_code_point(std::string_view text, std::size_t& pos);
/// The last code point of valid UTF-8 text, or 0 if empty.
char32_t last_code_point(std::string_view text);
/// The first code point of valid UTF-8 text, or 0 if empty.
char32_t first_code_point(std::string_view text);
void append_utf8(std::string& out, char32_t cp);
std::size_t count_code_points(std::string_view text);

bool is_unicode_whitespace(char32_t cp);
/// Unicode punctuation in the CommonMark sense (P* and S* classes, approximated by block ranges).
bool is_punctuation(char32_t cp);
/// Han, kana, CJK symbols and full-width forms: East Asian Wide/Fullwidth, Hangul excluded.
bool is_cjk(char32_t cp);
bool is_hangul(char32_t cp);
/// Punctuation that ends a sentence or clause in Chinese or Latin text.
bool is_sentence_end(char32_t cp);
/// Full-width and ideographic punctuation (，。：「」（）…): it carries its own spacing, so
/// Chinese sets no space beside it.
bool is_cjk_punctuation(char32_t cp);
/// A closing quote or bracket (” ’ 」 』 ） 》 】 ] )), which may follow a sentence's last mark.
bool is_closing_mark(char32_t cp);

std::string trim(std::string_view text);

/// A-Z as a-z; other bytes (all of UTF-8 beyond ASCII) as they are.
std::string ascii_lower(std::string_view text);
/// Whether `target` is an http or https address.
bool is_web_url(std::string_view target);
/// `%XX` escapes undone (a path or address as written in a link); anything else kept as it is.
std::string percent_decode(std::string_view text);
/// Display width: 2 for CJK, 1 otherwise.
std::size_t display_width(std::string_view text);

/// A time (seconds since 1970) written in UTC with a strftime format: "%Y-%m-%d", or
/// "%Y-%m-%dT%H:%M:%SZ" as EPUB and Atom want it.
std::string utc_text(std::int64_t seconds, const char* format);

/// A byte count for people: "12 KB", "3.4 MB" (decimal units, as disks and mail limits use).
std::string human_size(std::uint64_t bytes);

}  // namespace inkpack

#pragma once
// Words the book itself writes (part titles, TOC heading, placeholders), in the book's language.
#include <string>
#include <vector>

namespace inkpack {

enum class Label { opening, closing, contents, landmarks, image, image_missing, untitled, original, title_page, cover,
                   accessibility_summary, images_described, images_undescribed, video, audio, music };

/// `language` is a BCP 47 tag; Chinese, Japanese and English are known, English is the fallback.
std::string label(const std::string& language, Label which);

/// People named one after another: 甲、乙 in Chinese and Japanese, "A, B" elsewhere.
std::string join_names(const std::vector<std::string>& names, const std::string& language);

/// A MARC relator code (aut, edt, dsr, pht, trl, ill, ctb) as a word for readers.
std::string role_label(const std::string& language, const std::string& role);

}  // namespace inkpack

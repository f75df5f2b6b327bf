#pragma once
// Notes an article refers to, made EPUB 3 notes: numbered references in the text that link to
// the notes, and notes that link back.
#include <string>

#include "model/document.hpp"

namespace inkpack {

/// Two shapes of notes, on an article's blocks as read (before sectioning):
/// - Markdown footnotes: the notes block the Markdown reader put last, its notes named by label;
///   each `[^label]` in the text becomes a reference, numbered in the order they first appear.
/// - A reference list, the way WeChat authors write notes (outside links are forbidden there):
///   a title line (参考资料, 参考文献, 注释, References, Notes…) followed by an ordered list or by
///   lines `[1] …`, `［1］…`, `1. …`, with `[1]`, `［1］` or a superscript number in the text above.
///   Only when at least one such marker matches an entry do the list's entries become notes, in
///   place, under the author's title; a bracket without a list stays text.
/// Note ids are unique across a book of several articles: they start from `article_name`'s hash.
void make_notes(Blocks& blocks, const std::string& article_name);

}  // namespace inkpack

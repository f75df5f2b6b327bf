#pragma once
// Passes over the inline content of a document, each named for the reader problem it solves.
// They run in the order declared here (see book.cpp).
#include <map>
#include <string>

#include "model/document.hpp"

namespace inkpack {

/// CommonMark leaves `**参数 。**而` literal: its flanking rules treat CJK punctuation like
/// Latin punctuation. Pairs the delimiter runs md4c left as text using the CJK-friendly flanking
/// rules (a CJK character beside punctuation counts as a boundary), then drops runs of two or
/// more asterisks that still pair with nothing and sit beside CJK text (or alone), so no stray
/// `**` reaches a Chinese book while `2**10` stays. Finally turns escaped asterisks back into `*`.
void resolve_cjk_emphasis(Blocks& blocks);

/// A link a book cannot follow (a site-relative path, an unknown #anchor, an empty target)
/// becomes its text. `anchors` maps a fragment as written to the id it now has in the book.
void unwrap_unresolvable_links(Blocks& blocks, const std::map<std::string, std::string>& anchors);

/// A line break between two CJK characters is no space (CSS Text's segment-break rule, which
/// reading systems do not all apply); elsewhere it is one. A lone space between two runs of
/// CJK text (`**今天** **我们**`, common in WeChat exports) is dropped too, and so is every
/// space or line break beside CJK punctuation (`问题： 去年`, `短剧。 这都是`); spaces in Latin
/// text and in code stay.
void resolve_soft_breaks(Blocks& blocks);

/// Images standing between text in a paragraph become figures of their own (formulas stay in
/// their sentence), and paragraphs are trimmed; paragraphs left empty are removed.
void lift_figures(Blocks& blocks);

}  // namespace inkpack

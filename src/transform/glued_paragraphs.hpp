#pragma once
// WeChat's Markdown exporters drop the blank lines between paragraphs: a section arrives as one
// paragraph whose source lines are the author's paragraphs.
#include <vector>

#include "model/document.hpp"

namespace inkpack {

/// In an article whose long lines mostly break after a sentence's end (an export that dropped
/// its blank lines; text wrapped by hand has short lines that break anywhere), a line break
/// after 。！？…； (closing quotes or brackets may follow, bold or not) ends the paragraph, and
/// so does the end of a bold sentence followed by more text; other breaks stay soft and join
/// the lines. Other articles are left as they are.
void split_glued_paragraphs(std::vector<Section>& sections);

}  // namespace inkpack

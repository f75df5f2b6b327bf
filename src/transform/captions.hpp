#pragma once
// Articles set a picture's caption as a short line under it (`Pika 官方展示`, `图1：…`, a saved
// page's centred small grey text); read as body text, it floats away from its picture or runs
// into the next paragraph.
#include <vector>

#include "model/document.hpp"

namespace inkpack {

/// A paragraph right under a figure becomes its caption when it reads as one: a saved page's
/// small print, a line numbering the figure (图1、Figure 2), or a short line that is not a
/// sentence (no 。！？ or colon at its end), a point of a list (`（三）`) or a bold label. A caption found under one picture is also split
/// from the start of a paragraph under another, where an exporter ran the two together.
void attach_captions(std::vector<Section>& sections);

}  // namespace inkpack

#pragma once
// The note a clipper or an exporter sets above an article it saved (`> 本文由 简悦 SimpRead 转码，
// 原文地址 …`, `> 原文链接：…`, `> Source: …`): not the author's text, but it names the original.
#include <optional>
#include <string>

#include "model/document.hpp"

namespace inkpack {

/// If the block is such a note (a short quote that says where the article came from, with a
/// link), the original's address: the link after the words naming it, else the last one.
std::optional<std::string> exporter_banner_source(const Block& block);

}  // namespace inkpack

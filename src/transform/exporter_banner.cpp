#include "transform/exporter_banner.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "model/walk.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Words that name where a saved article came from.
constexpr std::array<std::string_view, 12> k_origin_words = {
    "原文地址", "原文链接", "原文网址", "原文出处", "转码", "转载自", "本文来自", "来源", "source", "original",
    "clipped from", "saved from"};
// A note is a line or two; a quote of the author's runs longer.
constexpr std::size_t k_longest_note = 160;

// The web links of the inlines in order, each with how much text came before it.
void web_links(const Inlines& list, std::string& text, std::vector<std::pair<std::size_t, std::string>>& out) {
  for_each_inline(list, [&](const Inline& node) {
    if (node.kind == InlineKind::link && is_web_url(node.target)) out.emplace_back(text.size(), node.target);
    if (node.kind == InlineKind::text || node.kind == InlineKind::code) text += node.text;
  });
}

}  // namespace

std::optional<std::string> exporter_banner_source(const Block& block) {
  if (block.kind != BlockKind::quote || block.children.size() != 1 || block.children.front().kind != BlockKind::paragraph)
    return std::nullopt;
  std::string text;
  std::vector<std::pair<std::size_t, std::string>> links;
  web_links(block.children.front().inlines, text, links);
  const std::string lower = ascii_lower(text);
  if (links.empty() || display_width(text) > k_longest_note) return std::nullopt;
  std::size_t origin = std::string::npos;
  for (std::string_view word : k_origin_words) origin = std::min(origin, lower.find(word));
  if (origin == std::string::npos) return std::nullopt;
  for (const auto& [at, target] : links)
    if (at >= origin) return target;
  return links.back().second;
}

}  // namespace inkpack

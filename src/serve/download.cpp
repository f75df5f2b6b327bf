#include "serve/download.hpp"

#include <algorithm>
#include <cctype>

#include "serve/routes.hpp"

namespace inkpack {

RangeDecision decide_range(const std::vector<RangeAsked>& ranges, std::uint64_t size) {
  if (ranges.size() != 1) return {};
  const RangeAsked& r = ranges.front();
  if (r.first < 0 && r.last < 0) return {};
  if (r.first < 0) {  // a suffix: the last r.last bytes
    if (r.last == 0 || size == 0) return {RangeAnswer::unsatisfiable};
    const std::uint64_t count = std::min<std::uint64_t>(static_cast<std::uint64_t>(r.last), size);
    return {RangeAnswer::part, size - count, size - 1};
  }
  const auto first = static_cast<std::uint64_t>(r.first);
  if (first >= size) return {RangeAnswer::unsatisfiable};
  if (r.last >= 0 && static_cast<std::uint64_t>(r.last) < first) return {};  // invalid: ignored, as RFC 9110 says
  const std::uint64_t last = r.last < 0 ? size - 1 : std::min<std::uint64_t>(static_cast<std::uint64_t>(r.last), size - 1);
  return {RangeAnswer::part, first, last};
}

std::string content_disposition(std::string_view file_name) {
  std::string ascii;
  for (const char c : file_name) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\';
    if (plain) ascii += c;
    else if (!ascii.ends_with('_')) ascii += '_';  // one _ for a run of Chinese, say
  }
  // A name of nothing but Chinese would leave "_.epub": a word is better.
  const std::size_t dot = ascii.rfind('.');
  const std::string stem = ascii.substr(0, dot);
  if (std::none_of(stem.begin(), stem.end(), [](unsigned char c) { return std::isalnum(c); }))
    ascii = "book" + (dot == std::string::npos ? std::string() : ascii.substr(dot));
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encode(file_name);
}

std::string entity_tag(std::uint64_t size, std::chrono::system_clock::time_point modified) {
  const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
  return "\"" + std::to_string(size) + "-" + std::to_string(nanoseconds) + "\"";
}

bool ReceivedParts::add(std::uint64_t first, std::uint64_t count, std::uint64_t size) {
  if (m_complete || count == 0) return false;
  std::uint64_t end = first + count;
  // Merge with every part it overlaps or touches.
  auto at = m_parts.upper_bound(first);
  if (at != m_parts.begin() && std::prev(at)->second >= first) --at;
  while (at != m_parts.end() && at->first <= end) {
    first = std::min(first, at->first);
    end = std::max(end, at->second);
    at = m_parts.erase(at);
  }
  m_parts.emplace(first, end);
  m_complete = first == 0 && end >= size;
  return m_complete;
}

}  // namespace inkpack

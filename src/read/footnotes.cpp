#include "read/footnotes.hpp"

#include <optional>

namespace inkpack {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// The line with four columns of indentation taken off, or nothing if it has fewer.
std::optional<std::string_view> indented(std::string_view line) {
  if (line.starts_with('\t')) return line.substr(1);
  if (indent_of(line) >= 4) return line.substr(4);
  return std::nullopt;
}

// A fence's marker (``` or ~~~, three or more) when the line opens or closes one.
std::string_view fence_of(std::string_view line) {
  const std::size_t indent = indent_of(line);
  if (indent > 3 || indent >= line.size() || (line[indent] != '`' && line[indent] != '~')) return {};
  std::size_t end = indent;
  while (end < line.size() && line[end] == line[indent]) ++end;
  return end - indent >= 3 ? line.substr(indent, end - indent) : std::string_view();
}

struct Start {
  std::string label;
  std::string_view rest;
};

std::optional<Start> definition_start(std::string_view line) {
  const std::size_t indent = indent_of(line);
  if (indent > 3 || !line.substr(indent).starts_with("[^")) return std::nullopt;
  const std::size_t close = line.find("]:", indent + 2);
  if (close == std::string_view::npos || close == indent + 2) return std::nullopt;
  const std::string_view label = line.substr(indent + 2, close - indent - 2);
  if (label.find_first_of(" \t[]") != std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(close + 2);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  return Start{std::string(label), rest};
}

bool ends_lazy_continuation(std::string_view line) {
  const std::string_view text = line.substr(indent_of(line));
  return is_blank(line) || text.starts_with('#') || !fence_of(line).empty() || definition_start(line);
}

// The lines of the definition starting at `lines[first]`; returns the index after its last.
std::size_t read_definition(const std::vector<std::string_view>& lines, std::size_t first, std::string& text) {
  std::size_t i = first + 1;
  bool after_blank = false;
  while (i < lines.size()) {
    const std::string_view line = lines[i];
    if (is_blank(line)) {
      std::size_t next = i;
      while (next < lines.size() && is_blank(lines[next])) ++next;
      if (next == lines.size() || !indented(lines[next])) break;
      text.append(next - i, '\n');
      i = next;
      after_blank = true;
      continue;
    }
    if (const auto inner = indented(line)) {
      text += '\n';
      text += *inner;
    } else if (!after_blank && !ends_lazy_continuation(line)) {
      text += '\n';
      text += line;
    } else {
      break;
    }
    ++i;
  }
  return i;
}

}  // namespace

LiftedFootnotes lift_footnotes(std::string_view source) {
  LiftedFootnotes out;
  const std::vector<std::string_view> lines = split_lines(source);
  std::string_view fence;  // the open fence's marker; empty outside code
  for (std::size_t i = 0; i < lines.size();) {
    const std::string_view line = lines[i];
    const std::string_view marker = fence_of(line);
    if (!fence.empty()) {
      if (!marker.empty() && marker.front() == fence.front() && marker.size() >= fence.size()) fence = {};
    } else if (!marker.empty()) {
      fence = marker;
    } else if (const auto start = definition_start(line)) {
      FootnoteDefinition definition{start->label, std::string(start->rest)};
      i = read_definition(lines, i, definition.text);
      out.definitions.push_back(std::move(definition));
      out.body += '\n';
      continue;
    }
    out.body += line;
    out.body += '\n';
    ++i;
  }
  return out;
}

}  // namespace inkpack

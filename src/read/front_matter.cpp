#include "read/front_matter.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace inkpack {
namespace {

std::vector<std::string> as_strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      if (item.IsScalar()) out.push_back(item.as<std::string>());
      else if (item.IsMap() && item["name"]) out.push_back(item["name"].as<std::string>());
  }
  return out;
}

std::string first_of(const YAML::Node& map, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    if (const YAML::Node node = map[key]; node && node.IsScalar()) return node.as<std::string>();
  return {};
}

Metadata read_metadata(const YAML::Node& map) {
  Metadata meta;
  meta.title = first_of(map, {"title"});
  meta.language = first_of(map, {"lang", "language"});
  meta.date = first_of(map, {"date"});
  meta.description = first_of(map, {"description", "summary"});
  meta.source = first_of(map, {"source", "url", "link"});
  meta.publisher = first_of(map, {"publisher", "account"});
  for (const char* key : {"author", "authors", "creator"})
    if (map[key]) meta.authors = as_strings(map[key]);
  for (const char* key : {"tags", "keywords"})
    if (map[key]) meta.tags = as_strings(map[key]);
  return meta;
}

}  // namespace

FrontMatter split_front_matter(std::string_view text, const std::string& source_name,
                               Diagnostics& diags) {
  FrontMatter result;
  result.body = std::string(text);
  if (!text.starts_with("---\n")) return result;
  std::size_t line_start = 4;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view current = text.substr(line_start, line_end - line_start);
    if (current == "---" || current == "...") {
      const std::string yaml(text.substr(4, line_start - 4));
      try {
        const YAML::Node node = YAML::Load(yaml);
        if (!node.IsMap()) return result;  // a thematic break, not front matter
        result.meta = read_metadata(node);
      } catch (const YAML::Exception& e) {
        diags.warn(source_name + ":" + std::to_string(e.mark.line + 2),
                   "front matter is not valid YAML (" + e.msg + "); reading it as body text");
        return result;
      }
      result.body = std::string(text.substr(std::min(text.size(), line_end + 1)));
      return result;
    }
    line_start = line_end + 1;
  }
  return result;
}

Expected<Manifest> read_manifest(std::string_view yaml, const std::string& source_name) {
  YAML::Node node;
  try {
    node = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return fail(source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML (" + e.msg + ")");
  }
  if (!node.IsMap() || !node["articles"] || !node["articles"].IsSequence() || node["articles"].size() == 0)
    return fail(source_name + ": a manifest needs an `articles:` list of files or links");
  Manifest manifest{read_metadata(node), {}};
  for (const YAML::Node& item : node["articles"]) {
    if (!item.IsScalar()) return fail(source_name + ": each entry of `articles:` must be a file name or a link");
    manifest.articles.push_back(item.as<std::string>());
  }
  return manifest;
}

}  // namespace inkpack

#include "read/front_matter.hpp"

#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>
#include <span>

namespace inkpack {
namespace {

// The keys front matter and manifests may use, YAML and TOML alike, by the field they fill.
using Keys = std::span<const char* const>;
constexpr const char* k_title[] = {"title"};
constexpr const char* k_language[] = {"lang", "language"};
constexpr const char* k_date[] = {"date"};
constexpr const char* k_description[] = {"description", "summary"};
constexpr const char* k_source[] = {"source", "url", "link"};
constexpr const char* k_publisher[] = {"publisher", "account"};
constexpr const char* k_authors[] = {"author", "authors", "creator"};
constexpr const char* k_tags[] = {"tags", "keywords"};
constexpr Keys k_metadata_keys[] = {k_title, k_language, k_date, k_description, k_source, k_publisher, k_authors, k_tags};
constexpr const char* k_articles = "articles";

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

std::string first_of(const YAML::Node& map, Keys keys) {
  for (const char* key : keys)
    if (const YAML::Node node = map[key]; node && node.IsScalar()) return node.as<std::string>();
  return {};
}

// A list of strings (or one) under `key`, or nullopt when the key is absent.
std::optional<std::vector<std::string>> strings_at(const YAML::Node& map, const char* key) {
  if (!map[key]) return std::nullopt;
  return as_strings(map[key]);
}

// Hugo and Zola's `+++` front matter is TOML; its keys are the YAML ones.
std::vector<std::string> as_strings(const toml::node* node) {
  std::vector<std::string> out;
  if (!node) return out;
  if (const auto* value = node->as_string()) out.push_back(value->get());
  if (const auto* list = node->as_array())
    for (const toml::node& item : *list)
      if (const auto* value = item.as_string()) out.push_back(value->get());
  return out;
}

std::string first_of(const toml::table& table, Keys keys) {
  for (const char* key : keys) {
    const toml::node* node = table.get(key);
    if (!node) continue;
    if (const auto* value = node->as_string()) return value->get();
    std::optional<toml::date> date;
    if (const auto* d = node->as_date()) date = d->get();
    if (const auto* dt = node->as_date_time()) date = dt->get().date;
    if (date) {
      char text[16];
      std::snprintf(text, sizeof text, "%04d-%02d-%02d", date->year, date->month, date->day);
      return text;
    }
  }
  return {};
}

std::optional<std::vector<std::string>> strings_at(const toml::table& table, const char* key) {
  if (!table.get(key)) return std::nullopt;
  return as_strings(table.get(key));
}

// The keys front matter may use, YAML and TOML alike.
template <class Map>
Metadata read_metadata(const Map& map) {
  Metadata meta;
  meta.title = first_of(map, k_title);
  meta.language = first_of(map, k_language);
  meta.date = first_of(map, k_date);
  meta.description = first_of(map, k_description);
  meta.source = first_of(map, k_source);
  meta.publisher = first_of(map, k_publisher);
  for (const char* key : k_authors)
    if (auto names = strings_at(map, key)) meta.authors = std::move(*names);
  for (const char* key : k_tags)
    if (auto tags = strings_at(map, key)) meta.tags = std::move(*tags);
  return meta;
}

// A manifest is written by hand for inkpack alone, so a key it does not know is a typo
// (`titel:`) that would otherwise leave the book without what the user meant to give it.
void warn_unknown_keys(const YAML::Node& map, const std::string& source_name, Diagnostics& diags) {
  std::set<std::string> known{k_articles};
  for (Keys keys : k_metadata_keys) known.insert(keys.begin(), keys.end());
  std::string listed;
  for (const std::string& key : known) listed += (listed.empty() ? "" : ", ") + key;
  for (const auto& item : map) {
    const std::string key = item.first.IsScalar() ? item.first.as<std::string>() : "?";
    if (!known.contains(key))
      diags.warn(source_name, "a manifest key inkpack does not know, ignored; check its spelling (known: " + listed + ")",
                 key);
  }
}

// Where the front matter that opens `text` with `fence` ends: the offset of its closing fence line.
std::optional<std::size_t> closing_fence(std::string_view text, std::string_view fence) {
  std::size_t line_start = fence.size() + 1;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view current = text.substr(line_start, line_end - line_start);
    if (current == fence || (fence == "---" && current == "...")) return line_start;
    line_start = line_end + 1;
  }
  return std::nullopt;
}

std::string_view after_line(std::string_view text, std::size_t line_start) {
  const std::size_t line_end = text.find('\n', line_start);
  return line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
}

FrontMatter split_toml(std::string_view text, const std::string& source_name, Diagnostics& diags) {
  FrontMatter result{{}, std::string(text)};
  const std::optional<std::size_t> end = closing_fence(text, "+++");
  if (!end) return result;
  try {
    result.meta = read_metadata(toml::parse(text.substr(4, *end - 4)));
  } catch (const toml::parse_error& e) {
    diags.warn(source_name + ":" + std::to_string(e.source().begin.line + 1),
               "front matter is not valid TOML (" + std::string(e.description()) + "); reading it as body text");
    return result;
  }
  result.body = std::string(after_line(text, *end));
  return result;
}

// JSON keys as front matter spells them: Go's pages write "Title".
YAML::Node lower_case_keys(const YAML::Node& map) {
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& entry : map) {
    std::string key = entry.first.as<std::string>();
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    out[key] = entry.second;
  }
  return out;
}

// JSON is YAML: yaml-cpp reads it, so JSON front matter needs no parser of its own.
std::optional<Metadata> read_json_metadata(std::string_view json) {
  try {
    const YAML::Node node = YAML::Load(std::string(json));
    if (!node.IsMap()) return std::nullopt;
    return read_metadata(lower_case_keys(node));
  } catch (const YAML::Exception&) {
    return std::nullopt;  // not front matter: the text stays the body, as it was written
  }
}

}  // namespace

std::optional<Metadata> read_comment_front_matter(std::string_view html) {
  const std::size_t start = html.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || html.substr(start, 5) != "<!--{") return std::nullopt;
  const std::size_t end = html.find("}-->", start);
  if (end == std::string_view::npos) return std::nullopt;
  return read_json_metadata(html.substr(start + 4, end + 1 - (start + 4)));
}

FrontMatter split_front_matter(std::string_view text, const std::string& source_name,
                               Diagnostics& diags) {
  if (text.starts_with("+++\n")) return split_toml(text, source_name, diags);
  FrontMatter result{{}, std::string(text)};
  if (text.starts_with("{\n")) {  // Hugo's JSON front matter, up to a line holding `}`
    const std::optional<std::size_t> end = closing_fence(text, "}");
    if (!end) return result;
    if (std::optional<Metadata> meta = read_json_metadata(text.substr(0, *end + 1))) {
      result.meta = std::move(*meta);
      result.body = std::string(after_line(text, *end));
    }
    return result;
  }
  if (!text.starts_with("---\n")) return result;
  const std::optional<std::size_t> end = closing_fence(text, "---");
  if (!end) return result;
  try {
    const YAML::Node node = YAML::Load(std::string(text.substr(4, *end - 4)));
    if (!node.IsMap()) return result;  // a thematic break, not front matter
    result.meta = read_metadata(node);
  } catch (const YAML::Exception& e) {
    diags.warn(source_name + ":" + std::to_string(e.mark.line + 2),
               "front matter is not valid YAML (" + e.msg + "); reading it as body text");
    return result;
  }
  result.body = std::string(after_line(text, *end));
  return result;
}

Expected<Manifest> read_manifest(std::string_view yaml, const std::string& source_name, Diagnostics& diags) {
  YAML::Node node;
  try {
    node = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return fail(source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML (" + e.msg + ")");
  }
  if (!node.IsMap() || !node[k_articles] || !node[k_articles].IsSequence() || node[k_articles].size() == 0)
    return fail(source_name + ": a manifest needs an `articles:` list of files or links");
  warn_unknown_keys(node, source_name, diags);
  Manifest manifest{read_metadata(node), {}};
  for (const YAML::Node& item : node[k_articles]) {
    if (!item.IsScalar()) return fail(source_name + ": each entry of `articles:` must be a file name or a link");
    manifest.articles.push_back(item.as<std::string>());
  }
  return manifest;
}

}  // namespace inkpack

#include "epub/templates.hpp"

#include "util/embedded.hpp"
#include "util/files.hpp"

namespace inkpack {

Expected<Templates> Templates::load(const std::optional<std::filesystem::path>& override_dir) {
  Templates templates;
  for (const embedded::File& file : embedded::templates())
    templates.m_files.emplace(std::string(file.path), std::string(file.bytes));
  if (!override_dir) return templates;
  std::error_code ec;
  if (!std::filesystem::is_directory(*override_dir, ec))
    return fail("--templates " + override_dir->string() + ": not a directory");
  for (auto& [path, bytes] : templates.m_files) {
    const std::filesystem::path candidate = *override_dir / path;
    if (!std::filesystem::exists(candidate, ec)) continue;
    auto custom = read_file(candidate);
    if (!custom) return std::unexpected(custom.error());
    bytes = std::move(*custom);
    templates.m_overrides.push_back(candidate);
  }
  return templates;
}

const std::string& Templates::get(const std::string& path) const {
  static const std::string k_empty;
  const auto found = m_files.find(path);
  return found == m_files.end() ? k_empty : found->second;
}

}  // namespace inkpack

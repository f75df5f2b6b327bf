#pragma once
// The EPUB skeletons (epub-templates/, embedded at build time), optionally overridden file by file
// from a user's directory (--templates).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace inkpack {

class Templates {
public:
  /// The embedded templates, with any file that `override_dir` also holds taken from there.
  static Expected<Templates> load(const std::optional<std::filesystem::path>& override_dir);

  /// The template at `path` (relative to epub-templates/, e.g. "EPUB/content.opf").
  const std::string& get(const std::string& path) const;

  /// The files read from the override directory.
  const std::vector<std::filesystem::path>& overrides() const { return m_overrides; }

private:
  std::map<std::string, std::string> m_files;
  std::vector<std::filesystem::path> m_overrides;
};

}  // namespace inkpack

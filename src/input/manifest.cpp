#include "input/manifest.hpp"

#include <algorithm>

#include "limits.hpp"
#include "read/front_matter.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

// A manifest is short; a larger file is not one.

fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? fs::absolute(path, ec).lexically_normal() : canonical;
}

// Symbolic links followed: a link inside the folder to a file outside it is outside.
bool is_inside(const fs::path& file, const fs::path& folder) {
  const fs::path relative = resolved(file).lexically_relative(resolved(folder));
  return !relative.empty() && *relative.begin() != "..";
}

class Expander {
public:
  Expander(const fs::path& top, bool allow_outside, Diagnostics& diags)
      : m_folder(top.has_parent_path() ? top.parent_path() : fs::path(".")), m_allow_outside(allow_outside),
        m_diags(diags) {}

  Expected<void> expand(const fs::path& path, ExpandedManifest& out) {
    m_chain.push_back(path);
    auto text = read_file(path, k_max_manifest_bytes);
    if (!text) return std::unexpected(text.error());
    auto manifest = read_manifest(*text, path.string(), m_diags);
    if (!manifest) return std::unexpected(manifest.error());
    if (out.manifests.empty()) out.meta = std::move(manifest->meta);
    out.manifests.push_back(path);
    for (const std::string& entry : manifest->articles) {
      if (is_web_url(entry)) {
        out.articles.emplace_back(entry);
        continue;
      }
      const fs::path file = path.parent_path() / entry;
      if (auto usable = check_entry(path, entry, file); !usable) return usable;
      if (!is_manifest(file)) {
        out.articles.push_back(file);
      } else if (auto nested = expand(file, out); !nested) {
        return nested;
      }
    }
    m_chain.pop_back();
    return {};
  }

private:
  Expected<void> check_entry(const fs::path& manifest, const std::string& entry, const fs::path& file) const {
    // Outside first: whether a file out there exists is not the manifest's business either.
    if (!m_allow_outside && !is_inside(file, m_folder))
      return fail(manifest.string() + ": lists " + entry + ", which is outside the manifest's folder (" +
                  resolved(m_folder).string() + "); move it in, or pass --allow-outside-articles if you trust " +
                  "this manifest");
    std::error_code ec;
    if (!fs::exists(file, ec))
      return fail(manifest.string() + ": lists " + entry + ", which is not there (" + file.string() +
                  "); correct the entry or remove it");
    const auto same = [&](const fs::path& open) { return resolved(open) == resolved(file); };
    if (is_manifest(file) && std::any_of(m_chain.begin(), m_chain.end(), same)) {
      std::string chain;
      for (const fs::path& open : m_chain) chain += open.string() + " → ";
      return fail("manifests list each other in a cycle: " + chain + file.string() +
                  "; remove the entry that leads back");
    }
    return {};
  }

  fs::path m_folder;             // the given manifest's: what its articles may come from
  bool m_allow_outside;
  Diagnostics& m_diags;
  std::vector<fs::path> m_chain;  // the manifests being expanded, outermost first
};

}  // namespace

bool is_manifest(const fs::path& input) {
  const std::string ext = input.extension().string();
  return !is_web_url(input.string()) && (ext == ".yaml" || ext == ".yml");
}

Expected<ExpandedManifest> expand_manifest(const fs::path& path, bool allow_outside, Diagnostics& diags) {
  ExpandedManifest out;
  if (auto expanded = Expander(path, allow_outside, diags).expand(path, out); !expanded)
    return std::unexpected(expanded.error());
  return out;
}

}  // namespace inkpack

#include "image/local_images.hpp"

#include <cstdio>
#include <filesystem>

#include "image/codec.hpp"
#include "util/files.hpp"

namespace inkpack {
namespace {

constexpr std::uintmax_t k_max_image_file_bytes = 64u << 20;

bool is_remote(const std::string& target) {
  const auto colon = target.find(':');
  if (colon == std::string::npos || colon < 2) return false;  // no scheme, or a drive letter
  return target.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") >= colon;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string extension_for(const std::string& media_type) {
  if (media_type == "image/png") return ".png";
  if (media_type == "image/jpeg") return ".jpg";
  return ".gif";
}

template <class Fn>
void for_each_image(Inlines& list, Fn& fn) {
  for (Inline& node : list) {
    if (node.kind == InlineKind::image) fn(node);
    else for_each_image(node.children, fn);
  }
}

}  // namespace

ResourceLoader file_loader(const std::string& base_dir) {
  return [base_dir](const std::string& target) -> Expected<Resource> {
    namespace fs = std::filesystem;
    std::string path = target.substr(0, target.find_first_of("?#"));
    if (path.starts_with("file://")) path = path.substr(7);
    const fs::path resolved = fs::path(base_dir) / fs::path(percent_decode(path));
    std::error_code ec;
    const auto size = fs::file_size(resolved, ec);
    if (ec) return fail(resolved.string() + ": " + ec.message());
    if (size > k_max_image_file_bytes) return fail(resolved.string() + ": larger than 64 MB");
    auto bytes = read_file(resolved);
    if (!bytes) return std::unexpected(bytes.error());
    return Resource{fs::weakly_canonical(resolved, ec).string(), std::move(*bytes)};
  };
}

void ImageCollector::embed(Blocks& blocks, const ResourceLoader& load, const std::string& source_name) {
  auto fn = [&](Inline& image) { embed_one(image, load, source_name); };
  for (Block& block : blocks) {
    for_each_image(block.inlines, fn);
    embed(block.children, load, source_name);
  }
}

void ImageCollector::embed_one(Inline& image, const ResourceLoader& load, const std::string& source_name) {
  const std::string& target = image.target;
  // The same relative path names different files in different articles' folders.
  const std::string failure_key = source_name + '\n' + target;
  const auto report = [&](const std::string& reason) {
    if (m_failed.emplace(failure_key, reason).second)
      m_diags.warn(source_name, "image not included (" + reason + ")", target);
  };
  if (m_failed.contains(failure_key)) return;
  if (target.empty()) return report("no address");
  if (is_remote(target)) return report("remote images are not downloaded yet");
  Expected<Resource> resource = load(target);
  if (!resource) return report(resource.error().message);
  if (const auto known = m_by_key.find(resource->key); known != m_by_key.end()) {
    image.media = known->second;
    return;
  }
  const Expected<ImageInfo> info = probe_image(resource->bytes);
  if (!info) return report(info.error().message);
  char name[32];
  std::snprintf(name, sizeof name, "images/img-%03zu", m_media.size() + 1);
  m_media.push_back({name + extension_for(info->media_type), info->media_type,
                     std::move(resource->bytes), info->width, info->height});
  m_by_key.emplace(resource->key, m_media.size() - 1);
  image.media = m_media.size() - 1;
}

}  // namespace inkpack

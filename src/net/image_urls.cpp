#include "net/image_urls.hpp"

#include <array>
#include <string_view>

namespace inkpack {
namespace {

bool is_wechat_cdn(std::string_view host) {
  return host == "mmbiz.qpic.cn" || host == "mmbiz.qlogo.cn" || host.ends_with(".qpic.cn");
}

}  // namespace

std::string normalize_image_url(const std::string& url, bool originals) {
  std::string base = url.substr(0, url.find('#'));
  const std::size_t host_start = base.find("://") == std::string::npos ? 0 : base.find("://") + 3;
  const std::size_t path_start = base.find('/', host_start);
  const std::string host = base.substr(host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  if (!is_wechat_cdn(host) || path_start == std::string::npos) return base;

  const std::size_t query_start = base.find('?');
  std::string path = base.substr(0, query_start);
  const std::string query = query_start == std::string::npos ? "" : base.substr(query_start + 1);
  const std::size_t last_slash = path.rfind('/');
  if (const std::string variant = path.substr(last_slash + 1);
      !variant.empty() && variant.find_first_not_of("0123456789") == std::string::npos)
    path = path.substr(0, last_slash + 1) + (originals ? "0" : variant);

  static constexpr std::array<std::string_view, 5> k_dropped = {"from", "wxfrom", "wx_lazy", "wx_co", "tp"};
  std::string kept;
  for (std::size_t start = 0; start < query.size();) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string_view pair = std::string_view(query).substr(start, end - start);
    const std::string_view name = pair.substr(0, pair.find('='));
    bool drop = pair.empty();
    for (std::string_view d : k_dropped) drop = drop || name == d;
    if (!drop) kept += (kept.empty() ? "" : "&") + std::string(pair);
    start = end + 1;
  }
  return kept.empty() ? path : path + "?" + kept;
}

}  // namespace inkpack

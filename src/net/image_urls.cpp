#include "net/image_urls.hpp"

#include <array>
#include <cctype>
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

std::optional<std::string> wechat_image_format(const std::string& url) {
  const std::size_t host_start = url.find("://") == std::string::npos ? 0 : url.find("://") + 3;
  const std::size_t path_start = std::min(url.find('/', host_start), url.size());
  const std::string_view host = std::string_view(url).substr(host_start, path_start - host_start);
  const std::string_view path = std::string_view(url).substr(path_start, url.find('?') - std::min(url.find('?'), path_start));
  const std::string_view first = path.substr(std::min<std::size_t>(1, path.size()), path.find('/', 1) - 1);
  const bool wechat_path = first == "mmbiz" || first.starts_with("mmbiz_") || first.starts_with("sz_mmbiz");
  if (!is_wechat_cdn(host) && !wechat_path) return std::nullopt;
  std::string format;
  if (const std::size_t at = url.find("wx_fmt="); at != std::string::npos && url.find('?') < at) {
    const std::size_t end = url.find_first_of("&#", at);
    format = url.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
  } else if (const std::size_t underscore = first.rfind('_'); wechat_path && underscore != std::string_view::npos) {
    format = first.substr(underscore + 1);
  }
  return format == "jpg" ? "jpeg" : format;
}

std::string wechat_image_id(const std::string& url) {
  const std::string path = url.substr(0, url.find_first_of("?#"));
  return path.substr(0, path.rfind('/'));
}

std::string resolve_url(const std::string& base, const std::string& target) {
  if (target.empty() || target.front() == '#') return target;
  const std::size_t colon = target.find(':');
  if (colon != std::string::npos && target.find_first_of("/?#") > colon) return target;  // has a scheme
  const std::size_t scheme_end = base.find("://");
  if (scheme_end == std::string::npos) return target;
  if (target.starts_with("//")) return base.substr(0, scheme_end + 1) + target;
  const std::size_t path_start = std::min(base.find_first_of("/?#", scheme_end + 3), base.size());
  if (target.front() == '/') return base.substr(0, path_start) + target;
  const std::string page = base.substr(0, std::min(base.find_first_of("?#", path_start), base.size()));
  if (target.front() == '?') return page + target;
  const std::size_t last_slash = page.rfind('/');
  const std::string dir = last_slash >= path_start && last_slash != std::string::npos ? page.substr(0, last_slash + 1) : page + "/";
  return dir + target;
}

std::string url_authority(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) url.remove_prefix(scheme_end + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (const std::size_t at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  std::string authority(url);
  for (char& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return authority;
}

}  // namespace inkpack

#include "read/source_repair.hpp"

#include <regex>

namespace inkpack {
namespace {

bool ends_destination(char c) { return c == ')' || c == ' ' || c == '\t' || c == '\n'; }

// The exporter turned `&name=` into `&name;=` and `&wx_lazy=` into `&wx;_lazy=`: it read the
// query as HTML and "closed" what it took for entities.
std::string fix_parameters(std::string destination, int& fixed) {
  static const std::regex k_mangled(R"(&([A-Za-z0-9]+);([A-Za-z0-9_]*=))");
  std::string out;
  auto begin = std::sregex_iterator(destination.begin(), destination.end(), k_mangled);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(destination, last, static_cast<std::size_t>(it->position()) - last);
    out += "&" + (*it)[1].str() + (*it)[2].str();
    last = static_cast<std::size_t>(it->position() + it->length());
    ++fixed;
  }
  out.append(destination, last);
  return out;
}

}  // namespace

SourceRepair repair_export_quirks(std::string_view in) {
  SourceRepair result;
  std::string& out = result.text;
  out.reserve(in.size());
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t open = in.find("](", pos);
    if (open == std::string_view::npos) break;
    out.append(in.substr(pos, open + 2 - pos));
    std::size_t end = open + 2;
    while (end < in.size() && !ends_destination(in[end])) ++end;
    std::string destination(in.substr(open + 2, end - open - 2));
    // A query continued on the next line and closed there: the wrap is the exporter's, not the
    // author's, since a destination cannot contain a line break.
    if (end < in.size() && in[end] == '\n' && !destination.empty() && end + 1 < in.size() &&
        (in[end + 1] == '&' || in[end + 1] == '?')) {
      std::size_t tail = end + 1;
      while (tail < in.size() && !ends_destination(in[tail])) ++tail;
      if (tail < in.size() && in[tail] == ')') {
        destination.append(in.substr(end + 1, tail - end - 1));
        end = tail;
        ++result.split_urls_joined;
      }
    }
    out += fix_parameters(std::move(destination), result.parameters_fixed);
    pos = end;
  }
  out.append(in.substr(pos));
  return result;
}

}  // namespace inkpack

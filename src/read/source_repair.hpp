#pragma once
// Repairs that must happen on the Markdown source, before md4c sees it, because they change how
// it parses: link destinations that WeChat exporters broke.
#include <string>
#include <string_view>

namespace inkpack {

struct SourceRepair {
  std::string text;
  int split_urls_joined = 0;
  int parameters_fixed = 0;
};

/// Joins a link or image destination that a hard wrap split across lines (`…jpeg\n&from=…)`),
/// and undoes the exporter's entity mangling of query parameters (`&from;=appmsg` → `&from=appmsg`,
/// `&wx;_lazy=1` → `&wx_lazy=1`).
SourceRepair repair_export_quirks(std::string_view markdown);

}  // namespace inkpack

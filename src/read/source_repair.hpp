#pragma once
// Repairs that must happen on the Markdown source, before md4c sees it, because they change how
// it parses. Code (fenced blocks and backtick spans) is left exactly as written.
#include <string>
#include <string_view>

namespace inkpack {

struct SourceRepair {
  std::string text;
  int split_urls_joined = 0;
  int parameters_fixed = 0;
  int bold_lines_joined = 0;
};

/// Joins a link or image destination that a hard wrap split across lines (`…jpeg\n&from=…)`),
/// undoes the exporter's entity mangling of query parameters (`&from;=appmsg` → `&from=appmsg`,
/// `&wx;_lazy=1` → `&wx_lazy=1`), closes a bold run the exporter broke onto the next line,
/// joins a heading it split at an emoji (`#### **🚀` / `****新的开始**`), keeps `---` under a
/// sentence a rule (not a setext underline), and replaces `\*` with k_escaped_asterisk.
SourceRepair repair_export_quirks(std::string_view markdown);

}  // namespace inkpack

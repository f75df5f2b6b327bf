#pragma once
// CommonMark + GFM (md4c) into the document model.
#include <string>
#include <string_view>

#include "model/document.hpp"
#include "util/diagnostics.hpp"

namespace inkpack {

/// Reads one Markdown article: invalid UTF-8 is replaced (and reported with its line), front
/// matter becomes metadata, exporter damage to URLs is repaired, raw HTML is kept as elements
/// where safe and shown as text otherwise. Fills `meta` and `blocks`.
Document read_markdown(std::string_view bytes, const std::string& source_name, Diagnostics& diags);

}  // namespace inkpack

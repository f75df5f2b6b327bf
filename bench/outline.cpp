// Measures outline detection (split_sections: candidates, series, cutting the body) on real
// articles, apart from reading them: the median of many runs per file, with its size, so the
// cost per kilobyte shows whether it stays linear.
//   inkpack-outline FILE...          (bench/run.sh --outline runs it on the largest corpus files)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "read/html_reader.hpp"
#include "read/markdown_reader.hpp"
#include "transform/extras.hpp"
#include "transform/sections.hpp"
#include "util/files.hpp"

namespace {
using namespace inkpack;

double median_ms(const Document& doc, int runs) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    Document copy = doc;
    Diagnostics diags;
    const auto start = std::chrono::steady_clock::now();
    split_sections(copy, SectionOverride{}, diags);
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  constexpr int k_runs = 21;
  std::printf("%-60s %9s %9s %8s %9s\n", "article", "KB", "blocks", "ms", "ms/100KB");
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    auto bytes = read_file(name);
    if (!bytes) {
      std::fprintf(stderr, "%s\n", bytes.error().message.c_str());
      return 1;
    }
    Diagnostics diags;
    const bool html = looks_like_html(*bytes, name);
    auto doc = html ? read_html(*bytes, name, diags) : Expected<Document>(read_markdown(*bytes, name, diags));
    if (!doc) return 1;
    remove_extras(doc->blocks);
    mark_decorative_images(doc->blocks);
    const double ms = median_ms(*doc, k_runs);
    const double kb = static_cast<double>(bytes->size()) / 1024;
    std::printf("%-60.60s %9.0f %9zu %8.2f %9.2f\n", name.c_str(), kb, doc->blocks.size(), ms, ms * 100 / kb);
  }
}

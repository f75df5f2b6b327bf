// inkpack: CLI wiring around the library in book.hpp.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>

#include "cli/options.hpp"

namespace {

std::optional<std::int64_t> source_date_epoch() {
  const char* value = std::getenv("SOURCE_DATE_EPOCH");
  if (!value || !*value) return std::nullopt;
  char* end = nullptr;
  const long long seconds = std::strtoll(value, &end, 10);
  if (*end != '\0' || seconds < 0) {
    std::cerr << "inkpack: warning: SOURCE_DATE_EPOCH=" << value << " is not a number of seconds; using now\n";
    return std::nullopt;
  }
  return seconds;
}

// Prints warnings as they come; without -v, only the first few of each kind, so thirty
// missing images do not bury everything else.
class WarningPrinter {
public:
  explicit WarningPrinter(const inkpack::cli::Options& options) : m_options(options) {}

  void operator()(const inkpack::Warning& w) {
    if (m_options.quiet) return;
    if (!m_options.verbose && ++m_seen[w.message] > k_shown_per_kind) return;
    std::cerr << "inkpack: warning: " << (w.where.empty() ? "" : w.where + ": ") << w.message
              << (w.detail.empty() ? "" : ": " + w.detail) << "\n";
  }

  void summarize() const {
    for (const auto& [message, count] : m_seen)
      if (count > k_shown_per_kind)
        std::cerr << "inkpack: warning: " << count - k_shown_per_kind << " more like \"" << message
                  << "\" (-v lists them)\n";
  }

private:
  static constexpr int k_shown_per_kind = 3;
  const inkpack::cli::Options& m_options;
  std::map<std::string, int> m_seen;
};

int run(const inkpack::cli::Options& options) {
  using namespace inkpack;
  WarningPrinter printer(options);
  Diagnostics diags(std::ref(printer));
  if (options.print_outline) {
    auto doc = load_document(options.build, diags);
    printer.summarize();
    if (!doc) {
      std::cerr << "inkpack: error: " << doc.error().message << "\n";
      return cli::k_failed;
    }
    std::cout << format_outline(*doc);
    return cli::k_ok;
  }
  auto result = build_book(options.build, diags);
  printer.summarize();
  if (!result) {
    std::cerr << "inkpack: error: " << result.error().message << "\n";
    return options.build.strict && !diags.warnings().empty() ? cli::k_strict : cli::k_failed;
  }
  if (options.verbose) std::cerr << format_outline(result->doc);
  if (!options.quiet) {
    std::cerr << "inkpack: wrote " << result->output.string() << " (" << result->bytes << " bytes, "
              << result->doc.sections.size() << " sections, " << result->doc.media.size() << " images";
    if (!diags.warnings().empty()) std::cerr << ", " << diags.warnings().size() << " warnings";
    std::cerr << ")\n";
  }
  return cli::k_ok;
}

}  // namespace

int main(int argc, char** argv) {
  inkpack::cli::Options options;
  CLI::App app{"inkpack"};
  inkpack::cli::setup(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return e.get_exit_code() == 0 ? code : inkpack::cli::k_usage;
  }
  options.build.timestamp = source_date_epoch();
  return run(options);
}

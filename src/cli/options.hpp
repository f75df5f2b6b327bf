#pragma once
// Command-line options: CLI11 wiring onto BuildOptions, nothing else.
#include <CLI/CLI.hpp>

#include "book.hpp"
#include "serve/http_server.hpp"

namespace inkpack::cli {

struct Options {
  BuildOptions build;
  bool print_outline = false;
  bool explain = false;     ///< with print_outline: the reasons behind it
  bool no_cache = false;
  bool quiet = false;
  bool verbose = false;
  CLI::App* check = nullptr;        ///< the `check` subcommand: set when it was given
  std::vector<std::filesystem::path> check_books;
  CLI::App* serve = nullptr;        ///< the `serve` subcommand: set when it was given
  std::vector<std::filesystem::path> serve_books;  ///< EPUB files and folders
  bool build_then_serve = false;    ///< --serve: serve the book just built
  ServeOptions serving;
  std::optional<std::filesystem::path> qr_png;
  std::vector<const CLI::Option*> serving_options;  ///< meaningful only when serving
};

/// Exit codes, documented in README.md.
enum ExitCode : int {
  k_ok = 0,
  k_failed = 1,      ///< the book could not be built (unreadable input, unwritable output, …)
  k_usage = 2,       ///< bad command line
  k_strict = 3,      ///< --strict and there were warnings; nothing written
  k_check_failed = 4,  ///< `inkpack check`: the book breaks a rule
};

void setup(CLI::App& app, Options& options);

/// A command line CLI11 accepts but that cannot be acted on (nothing to build, an empty -o) is
/// a usage error saying so.
Expected<void> check_command_line(const Options& options);

}  // namespace inkpack::cli

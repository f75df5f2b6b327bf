// inkpack: CLI wiring around the library in book.hpp.
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include <malloc.h>
#include <pthread.h>
#include <unistd.h>

#include "check/preflight.hpp"
#include "cli/options.hpp"
#include "limits.hpp"
#include "util/files.hpp"
#include "net/cache.hpp"
#include "serve/lan_address.hpp"
#include "serve/qr.hpp"
#include "serve/routes.hpp"
#include "util/text.hpp"

namespace {

// The last second of year 9999: an EPUB date (dcterms:modified, CCYY-MM-DDThh:mm:ssZ) has four
// digits of year, so past it the book would carry a malformed date.
constexpr long long k_last_epub_second = 253'402'300'799;

// SOURCE_DATE_EPOCH as the reproducible-builds specification has it: seconds since 1970, UTC.
// A value that is not one is refused, not replaced by now: the user asked for a fixed date.
inkpack::Expected<std::optional<std::int64_t>> source_date_epoch() {
  const char* value = std::getenv("SOURCE_DATE_EPOCH");
  if (!value || !*value) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long seconds = std::strtoll(value, &end, 10);
  if (*end != '\0' || errno == ERANGE || seconds < 0 || seconds > k_last_epub_second)
    return inkpack::fail("SOURCE_DATE_EPOCH=" + std::string(value) +
                             ": not a number of seconds since 1970 from 0 to " + std::to_string(k_last_epub_second) +
                             " (the end of year 9999); give one such as 1700000000, or unset it to date the book now",
                         inkpack::ErrorKind::usage);
  return seconds;
}

// The exit code of each kind of error, in this one place (README, "Exit codes").
int exit_code(inkpack::ErrorKind kind) {
  switch (kind) {
    case inkpack::ErrorKind::usage: return inkpack::cli::k_usage;
    case inkpack::ErrorKind::strict: return inkpack::cli::k_strict;
    case inkpack::ErrorKind::failed: break;
  }
  return inkpack::cli::k_failed;
}

int report(const inkpack::Error& error) {
  std::cerr << "inkpack: error: " << error.message << "\n";
  return exit_code(error.kind);
}

// Prints warnings as they come; without -v, only the first few of each kind, so thirty
// missing images do not bury everything else.
class WarningPrinter {
public:
  WarningPrinter(const inkpack::cli::Options& options, bool clear_line)
      : m_options(options), m_clear_line(clear_line) {}

  void operator()(const inkpack::Warning& w) {
    if (m_options.quiet) return;
    if (!m_options.verbose && ++m_seen[w.message] > k_shown_per_kind) return;
    if (m_clear_line) std::cerr << "\r\033[K";  // the progress line, which would run into this
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
  bool m_clear_line;  // a progress line may be showing
  std::map<std::string, int> m_seen;
};

// Progress on stderr, so that a long build is not silent. On a terminal, one line rewritten as
// images are done; elsewhere (a log, CI) nothing for a short build, then a line now and then
// while images are still to do.
class ProgressPrinter {
public:
  explicit ProgressPrinter(bool terminal) : m_terminal(terminal) {
    if (!terminal) m_ticker = std::jthread([this](std::stop_token stop) { tick(stop); });
  }

  void operator()(const inkpack::ImageProgress& p) {
    std::lock_guard lock(m_mutex);
    m_last = p;
    if (m_terminal) std::cerr << "\r" + line() + "   " << std::flush;
  }

private:
  static constexpr std::chrono::seconds k_interval{5};

  void tick(std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    while (!stop.stop_requested()) {
      m_wake.wait_for(lock, stop, k_interval, [] { return false; });  // the interval, cut short by a stop
      if (!stop.stop_requested() && m_last.done < m_last.total) std::cerr << line() + "\n" << std::flush;
    }
  }

  std::string line() const {
    return "inkpack: images " + std::to_string(m_last.done) + "/" + std::to_string(m_last.total) + ", " +
           inkpack::human_size(m_last.bytes) +
           (m_last.failed ? " (" + std::to_string(m_last.failed) + " failed)" : std::string());
  }

  const bool m_terminal;
  std::mutex m_mutex;
  std::condition_variable_any m_wake;  // only ever woken by the stop request
  inkpack::ImageProgress m_last;
  std::jthread m_ticker;               // last: joined before the rest goes away
};

// What became of the images, in one line; failures were warned about one by one.
void print_image_summary(const inkpack::ImageReport& r) {
  if (r.images == 0) return;
  std::cerr << "inkpack: images: " << r.images << " (" << r.fetched << " downloaded, " << r.from_cache
            << " from cache, " << r.local << " local, " << r.failed << " missing), " << inkpack::human_size(r.bytes_before)
            << " -> " << inkpack::human_size(r.bytes_after) << "\n";
}

// What the build decided on its own: text left out as not the article's, and with `outline`, why
// each candidate line was or was not taken as a title (`--explain`).
void print_notes(const inkpack::Diagnostics& diags, bool outline, std::ostream& out) {
  for (const inkpack::Warning& n : diags.notes())
    if (outline || n.where != "outline")
      out << n.where << ": " << n.message << (n.detail.empty() ? "" : ": " + n.detail) << "\n";
}

// Output the user asked for (a report, an outline) that did not reach its file is a failure:
// a full disk or a closed pipe must not pass for success.
bool flushed_stdout() {
  if (std::cout.flush()) return true;
  std::cerr << "inkpack: error: standard output: cannot write (" << std::strerror(errno) << ")\n";
  return false;
}

// One book's verdict: its report (with -q, only a failed book's broken rules), and an exit code.
int check_book(const std::filesystem::path& path, const inkpack::cli::Options& options) {
  using namespace inkpack;
  auto bytes = read_file(path, k_max_epub_file_bytes);
  if (!bytes) return report(bytes.error());
  auto checked = preflight(*bytes);
  if (!checked) return report(Error{path.string() + ": " + checked.error().message});
  if (!options.quiet || !checked->passed())
    std::cout << path.string() << "\n" << checked->format(options.verbose, options.quiet);
  return checked->passed() ? cli::k_ok : cli::k_check_failed;
}

// Every book is checked, whatever the ones before it gave; the exit code is the worst verdict:
// one that is not an EPUB (1) over one that breaks a rule (4).
int run_check(const inkpack::cli::Options& options) {
  using namespace inkpack;
  bool unreadable = false, failed = false;
  for (const std::filesystem::path& book : options.check_books) {
    const int code = check_book(book, options);
    unreadable = unreadable || code == cli::k_failed;
    failed = failed || code == cli::k_check_failed;
  }
  if (!flushed_stdout() || unreadable) return cli::k_failed;
  return failed ? cli::k_check_failed : cli::k_ok;
}

// Lines from the server's threads and the catalog's, one at a time.
class LinePrinter {
public:
  void operator()(const std::string& line) {
    std::lock_guard lock(m_mutex);
    std::cerr << line << "\n" << std::flush;
  }

private:
  std::mutex m_mutex;
};

// The address a phone opens, its QR code, and what else a user may need, on standard output.
inkpack::Expected<void> announce(const inkpack::BookServer& server, std::size_t books, const inkpack::cli::Options& options) {
  using namespace inkpack;
  const std::vector<AddressCandidate> candidates = lan_candidates();
  const std::string host = printed_address(options.serving.bind, candidates);
  const std::string url = base_url(host, server.port(), server.token());
  auto code = make_qr(url);
  if (!code) return std::unexpected(code.error());
  if (options.qr_png) {
    if (auto written = write_file_atomically(*options.qr_png, draw_qr_png(*code)); !written) return written;
  }
  if (host == "127.0.0.1" && options.serving.bind != host)
    std::cerr << "inkpack: warning: this computer has no network address: only it can connect; join the phone's "
                 "Wi-Fi and start again\n";
  std::cout << "inkpack: serving " << books << (books == 1 ? " book" : " books") << " at\n\n  " << url << "\n\n";
  if (!options.quiet) {
    std::cout << draw_qr_text(*code, isatty(STDOUT_FILENO)) << "\n"
              << "Scan the code with the phone's camera, or type the address into its browser (same network).\n"
              << "Reading apps (OPDS catalog): " << url << route_path("", RouteKind::feed).substr(1) << "\n";
    if (options.verbose)
      for (const AddressCandidate& other : candidates)
        if (other.address != host)
          std::cout << "Also at " << base_url(other.address, server.port(), server.token()) << " (" << other.interface << ")\n";
    std::cout << "Ctrl-C stops" << (options.serving.once ? "; so does the first complete download" : "") << ".\n";
  }
  std::cout << std::flush;
  return {};
}

// Serves until Ctrl-C (or SIGTERM) or, with --once, the first complete download. The signals
// are taken by a thread of their own, so the server stops from ordinary code, not a handler.
int serve(const std::vector<std::filesystem::path>& books, const inkpack::cli::Options& options) {
  using namespace inkpack;
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // before any thread starts: they inherit it
  LinePrinter print;
  auto catalog = BookCatalog::open(books, std::ref(print));
  const std::size_t count = catalog ? (*catalog)->books().size() : 0;
  auto server = catalog ? BookServer::start(std::move(*catalog), options.serving, std::ref(print))
                        : std::unexpected(catalog.error());
  if (!server) {
    std::cerr << "inkpack: error: " << server.error().message << "\n";
    return cli::k_failed;
  }
  if (auto announced = announce(**server, count, options); !announced) {
    std::cerr << "inkpack: error: " << announced.error().message << "\n";
    return cli::k_failed;
  }
  std::jthread waiter([&](std::stop_token stop) {
    const timespec slice{0, 200'000'000};
    while (!stop.stop_requested())
      if (sigtimedwait(&stop_signals, nullptr, &slice) > 0) return (*server)->stop();
  });
  (*server)->run();
  waiter.request_stop();
  if (!options.quiet) std::cerr << "inkpack: stopped serving\n";
  return cli::k_ok;
}

int run(inkpack::cli::Options& options) {
  using namespace inkpack;
  if (*options.check) return run_check(options);
  if (*options.serve) return serve(options.serve_books, options);
  const bool terminal = isatty(STDERR_FILENO);
  // A line rewritten in place only where a person watches: never in pipes or CI logs.
  const bool live_line = !options.quiet && !options.print_outline && terminal;
  WarningPrinter printer(options, live_line);
  Diagnostics diags(std::ref(printer));
  if (!options.no_cache && !options.build.images.cache_dir) options.build.images.cache_dir = DiskCache::default_dir();
  std::optional<ProgressPrinter> progress;
  if (!options.quiet && !options.print_outline) options.build.images.progress = std::ref(progress.emplace(terminal));
  if (options.print_outline) {
    options.build.embed_images = false;
    auto doc = load_document(options.build, diags);
    printer.summarize();
    if (!doc) return report(doc.error());
    std::cout << format_outline(*doc);
    if (options.explain) print_notes(diags, true, std::cout);
    return flushed_stdout() ? cli::k_ok : cli::k_failed;
  }
  auto result = build_book(options.build, diags);
  progress.reset();
  if (live_line) std::cerr << "\r\033[K";
  printer.summarize();
  if (!result) return report(result.error());
  if (options.verbose) {
    std::cerr << format_outline(result->doc);
    print_notes(diags, false, std::cerr);
  }
  if (!options.quiet) {
    print_image_summary(result->images);
    if (!result->reduction.empty()) std::cerr << "inkpack: images reduced for --max-size: " << result->reduction << "\n";
    const auto count = [](std::size_t n, const char* noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); };
    if (result->taken)
      std::cerr << "inkpack: " << result->taken->string() << " holds another book (not an earlier build of this one): "
                << "wrote " << result->output.string() << " instead; -o chooses the path\n";
    const bool to_stdout = result->output == inkpack::k_standard_stream;
    std::cerr << "inkpack: wrote " << (to_stdout ? "the book to standard output" : result->output.string()) << " (" << result->bytes << " bytes, "
              << count(result->doc.sections.size(), "section") << ", " << count(result->doc.media.size(), "image");
    if (!diags.warnings().empty()) std::cerr << ", " << count(diags.warnings().size(), "warning");
    std::cerr << ")\n";
  }
  return options.build_then_serve ? serve({result->output}, options) : cli::k_ok;
}


// glibc's defaults suit many small long-lived blocks; a build holds a few downloads of megabytes
// at a time. One arena and fixed thresholds let freed downloads be reused in place instead of
// mapped afresh (each new page a fault) or stranded in another thread's arena: measured on the
// benchmark corpus, 15% less time and 15% less peak memory. Pixels have their own allocator.
void tune_malloc() {
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  tune_malloc();
  // Past a file-size limit (ulimit -f, a quota) a write should fail with EFBIG, which is reported
  // and cleaned up, instead of the signal killing inkpack mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
  inkpack::cli::Options options;
  CLI::App app{"inkpack"};
  inkpack::cli::setup(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return e.get_exit_code() == 0 ? code : inkpack::cli::k_usage;
  }
  if (auto usable = inkpack::cli::check_command_line(options); !usable) return report(usable.error());
  auto timestamp = source_date_epoch();
  if (!timestamp) return report(timestamp.error());
  options.build.timestamp = *timestamp;
  return run(options);
}

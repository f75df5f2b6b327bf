#pragma once
// `inkpack serve`: a BookCatalog's books over HTTP to phones on the same network, read-only
// (GET and HEAD), through cpp-httplib. The only file that includes httplib.h.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "serve/book_catalog.hpp"
#include "util/error.hpp"

namespace inkpack {

/// How long a connection may take over each part of its life: a slow client cannot hold one of
/// the server's few workers for long.
struct ConnectionLimits {
  std::chrono::steady_clock::duration idle{std::chrono::seconds(5)};      ///< between requests on a kept-alive connection
  std::chrono::steady_clock::duration request{std::chrono::seconds(10)};  ///< from its first byte to its last header
  std::chrono::steady_clock::duration window{std::chrono::seconds(30)};   ///< for each `window_bytes` of an answer
  std::size_t window_bytes = 64 * 1024;  ///< 2 KB/s at the least: a phone that stalls longer resumes with Range
  /// A request's size, headers and all: no request here needs more, and httplib 0.11.4 does not
  /// limit how many header lines it keeps.
  std::size_t request_bytes = 64 * 1024;
};

struct ServeOptions {
  std::string bind = "0.0.0.0";  ///< every interface
  int port = 8765;               ///< 0: a free port the system picks
  bool open = false;             ///< no secret token in the addresses
  bool once = false;             ///< stop after the first complete download
  ConnectionLimits limits;
};

class BookServer {
public:
  /// Hears one line per download (client, book, bytes) and the catalog's notes; may be called
  /// from several threads, one call at a time.
  using Log = std::function<void(const std::string&)>;

  /// Listens on the port; an error says why not and what to do (a port in use: another --port).
  static Expected<std::unique_ptr<BookServer>> start(std::unique_ptr<BookCatalog> catalog, const ServeOptions& options,
                                                     Log log);
  ~BookServer();
  BookServer(const BookServer&) = delete;
  BookServer& operator=(const BookServer&) = delete;

  int port() const;
  /// The secret path prefix ("" with --open).
  const std::string& token() const;
  /// Answers requests until stop(), or with `once` until a book has been downloaded whole.
  void run();
  /// From any thread: stops listening and cuts open connections; run() returns.
  void stop();

private:
  struct Impl;
  explicit BookServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m;
};

}  // namespace inkpack

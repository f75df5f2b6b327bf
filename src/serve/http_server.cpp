#include "serve/http_server.hpp"

#include <httplib.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve/deadline_stream.hpp"
#include "serve/download.hpp"
#include "serve/opds_feed.hpp"
#include "serve/phone_page.hpp"
#include "serve/routes.hpp"
#include "transform/metadata.hpp"

namespace inkpack {
namespace {

// Workers answer one connection each; more connections wait their turn, costing a socket.
constexpr std::size_t k_workers = 8;
// httplib 0.11.4 listens with a backlog of 5, compiled into Debian's library: fifty phones
// connecting at once would see refused connections and retry a second later.
constexpr int k_backlog = 128;
constexpr std::size_t k_chunk = 64 * 1024;
constexpr std::size_t k_keep_alive_requests = 20;
// No request here has a body.
constexpr std::size_t k_max_payload = 4096;

// httplib's Server, each connection read and written through a DeadlineStream.
class DeadlineServer : public httplib::Server {
public:
  ConnectionLimits limits;
  std::atomic<bool> stopping{false};

private:
  // Overrides httplib's (private, virtual) loop over a connection's requests, which is the same
  // but for the stream.
  bool process_and_close_socket(socket_t sock) override {
    DeadlineStream stream(sock, limits, stopping);
    bool served = false;
    for (std::size_t left = k_keep_alive_requests; left > 0 && stream.next_request(); --left) {
      bool closed = false;
      served = process_request(stream, left == 1, closed, nullptr);
      if (!served || closed || stream.timed_out()) break;
    }
    shutdown(sock, SHUT_RDWR);
    close(sock);
    return served;
  }
};

// Why the port could not be had, in words, with what to do: httplib only says it failed.
std::string why_not_listening(const ServeOptions& options) {
  addrinfo hints{};
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options.port);
  if (getaddrinfo(options.bind.c_str(), port.c_str(), &hints, &found) != 0)
    return "--bind " + options.bind + ": not an IP address; give one of this computer's, or leave --bind out to listen on all";
  const int fd = socket(found->ai_family, found->ai_socktype, 0);
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  const int error = fd >= 0 && bind(fd, found->ai_addr, found->ai_addrlen) != 0 ? errno : 0;
  if (fd >= 0) close(fd);
  freeaddrinfo(found);
  switch (error) {
    case EADDRINUSE:
      return "port " + port + " is in use (another inkpack serve, or another server); choose another with --port, e.g. --port " +
             std::to_string(options.port + 1);
    case EACCES: return "port " + port + " needs root (ports below 1024 do); choose one above 1023 with --port";
    case EADDRNOTAVAIL:
      return "--bind " + options.bind + " is not an address of this computer; leave --bind out to listen on all";
    default:
      return "cannot listen on " + options.bind + " port " + port + (error ? std::string(": ") + std::strerror(error) : "");
  }
}

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content("Not found\n", "text/plain; charset=utf-8");
}

}  // namespace

struct Transfer {
  int fd = -1;
  bool head = false;
  std::string client;
  ServedBook book;
  std::uint64_t first = 0;   ///< where the bytes to send start in the file
  std::uint64_t length = 0;  ///< how many to send
  std::uint64_t sent = 0;
  std::vector<char> buffer;
  std::once_flag finished;
  ~Transfer() { close(fd); }
};

struct BookServer::Impl {
  std::unique_ptr<BookCatalog> catalog;
  ServeOptions options;
  Log log;
  std::string token;
  std::string feed_id;
  DeadlineServer server;
  int listening = -1;  ///< the listening socket, as httplib created it
  std::mutex mutex;    ///< over `received`
  std::map<std::string, ReceivedParts> received;  ///< client + book -> what it has had, for --once

  void answer(const httplib::Request& req, httplib::Response& res);
  void send_book(const httplib::Request& req, httplib::Response& res, ServedBook book,
                 const std::vector<RangeAsked>& asked, httplib::Ranges& ranges);
  bool send_chunk(Transfer& transfer, std::size_t offset, std::size_t length, httplib::DataSink& sink);
  void finish(Transfer& transfer);
  void stop();
};

void BookServer::Impl::answer(const httplib::Request& req, httplib::Response& res) {
  // httplib 0.11.4 applies the Range header it parsed to any answer, unchecked (a range past the
  // end, a 404's text sliced): the ranges are taken over here, and given back only for a
  // validated part of a book. The Request is httplib's own non-const object.
  httplib::Ranges& ranges = const_cast<httplib::Request&>(req).ranges;
  std::vector<RangeAsked> asked;
  for (const auto& [first, last] : ranges) asked.push_back({first, last});
  ranges.clear();
  const auto route = parse_route(req.target, token);
  if (!route) return not_found(res);
  if (route->kind == RouteKind::page)
    return res.set_content(phone_page(catalog->books(), token), "text/html; charset=utf-8");
  if (route->kind == RouteKind::feed)
    return res.set_content(opds_feed(catalog->books(), token, feed_id), std::string(k_acquisition_feed_type));
  auto book = catalog->find(route->book);
  if (!book) return not_found(res);
  if (route->kind == RouteKind::book) return send_book(req, res, std::move(*book), asked, ranges);
  const bool cover = route->kind == RouteKind::cover;
  const std::string& image = cover ? book->info->cover : book->info->thumbnail;
  if (image.empty()) return not_found(res);
  res.set_content(image, cover ? book->info->cover_type : book->info->thumbnail_type);
}

void BookServer::Impl::send_book(const httplib::Request& req, httplib::Response& res, ServedBook book,
                                 const std::vector<RangeAsked>& asked, httplib::Ranges& ranges) {
  const std::string etag = entity_tag(book.size, book.modified);
  RangeDecision range = decide_range(asked, book.size);
  // A resumed download of a book that has changed since gets the new book whole.
  if (req.has_header("If-Range") && req.get_header_value("If-Range") != etag) range = {};
  const int fd = open(book.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return not_found(res);
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("ETag", etag);
  res.set_header("Content-Disposition", content_disposition(book.name));
  if (range.answer == RangeAnswer::unsatisfiable) {
    close(fd);
    res.status = 416;
    return res.set_header("Content-Range", "bytes */" + std::to_string(book.size));
  }
  res.status = range.answer == RangeAnswer::part ? 206 : 200;
  if (range.answer == RangeAnswer::part)
    ranges.emplace_back(static_cast<ssize_t>(range.first), static_cast<ssize_t>(range.last));
  auto transfer = std::make_shared<Transfer>();
  transfer->fd = fd;
  transfer->head = req.method == "HEAD";
  transfer->client = req.remote_addr;
  transfer->first = range.first;
  transfer->length = range.answer == RangeAnswer::part ? range.last - range.first + 1 : book.size;
  transfer->book = std::move(book);
  res.set_content_provider(
      transfer->book.size, "application/epub+zip",
      [this, transfer](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return send_chunk(*transfer, offset, length, sink);
      },
      [this, transfer](bool) { std::call_once(transfer->finished, [&] { finish(*transfer); }); });
}

bool BookServer::Impl::send_chunk(Transfer& transfer, std::size_t offset, std::size_t length, httplib::DataSink& sink) {
  transfer.buffer.resize(k_chunk);
  const ssize_t got = pread(transfer.fd, transfer.buffer.data(), std::min(length, k_chunk), static_cast<off_t>(offset));
  // A book that shrank or cannot be read under us: the connection is cut rather than the download
  // ending short with every byte counted.
  if (got <= 0 || !sink.write(transfer.buffer.data(), static_cast<std::size_t>(got))) return false;
  transfer.sent += static_cast<std::uint64_t>(got);
  return true;
}

// One log line per download; with --once, the end of serving when a client has had the whole
// book, in one answer or several (a resumed download), but not from a reader's glance at the end
// of the file (the zip's directory) alone.
void BookServer::Impl::finish(Transfer& transfer) {
  if (transfer.head) return;
  const ServedBook& book = transfer.book;
  const std::string size = std::to_string(book.size);
  std::string line = "inkpack: " + transfer.client + " got " + book.name + ": ";
  if (transfer.sent == book.size) line += "all " + size + " bytes";
  else line += std::to_string(transfer.sent) + " of " + size + " bytes, from byte " + std::to_string(transfer.first);
  std::unique_lock lock(mutex);
  const bool completed = received[transfer.client + "\n" + book.path.string()].add(transfer.first, transfer.sent, book.size);
  lock.unlock();
  if (transfer.sent < transfer.length) line += ", cut off";
  else if (completed && transfer.sent != book.size) line += ": the download is complete";
  if (log) log(line);
  if (options.once && completed) stop();
}

void BookServer::Impl::stop() {
  server.stopping = true;
  server.stop();
}

BookServer::BookServer(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
BookServer::~BookServer() = default;

Expected<std::unique_ptr<BookServer>> BookServer::start(std::unique_ptr<BookCatalog> catalog,
                                                        const ServeOptions& options, Log log) {
  auto impl = std::make_unique<Impl>();
  impl->catalog = std::move(catalog);
  impl->options = options;
  impl->log = std::move(log);
  impl->token = options.open ? "" : make_token();
  std::string sources;
  for (const auto& path : impl->catalog->source_paths()) sources += path.string() + "\n";
  impl->feed_id = identifier_for(sources);
  Impl& state = *impl;
  DeadlineServer& server = state.server;
  server.new_task_queue = [] { return new httplib::ThreadPool(k_workers); };
  // SO_REUSEADDR but not httplib's SO_REUSEPORT, with which a second server would share the
  // port instead of being told it is taken.
  server.set_socket_options([&state](socket_t fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    state.listening = fd;
  });
  server.set_payload_max_length(k_max_payload);
  // What the Keep-Alive header announces; DeadlineServer keeps to it.
  server.set_keep_alive_max_count(k_keep_alive_requests);
  server.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(options.limits.idle).count());
  server.limits = options.limits;
  // The addresses are the secret: no cache or referrer should keep them.
  server.set_default_headers({{"Cache-Control", "no-store"}, {"Referrer-Policy", "no-referrer"},
                              {"X-Content-Type-Options", "nosniff"}});
  // Before httplib reads a body: a POST without Content-Length would be read until the client closes.
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" || req.method == "HEAD") return httplib::Server::HandlerResponse::Unhandled;
    res.status = 405;
    res.set_header("Allow", "GET, HEAD");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get(".*", [&state](const httplib::Request& req, httplib::Response& res) { state.answer(req, res); });
  const bool bound = options.port == 0 ? server.bind_to_any_port(options.bind) > 0 : server.bind_to_port(options.bind, options.port);
  if (!bound) return fail(why_not_listening(options));
  ::listen(state.listening, k_backlog);
  return std::unique_ptr<BookServer>(new BookServer(std::move(impl)));
}

int BookServer::port() const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(m->listening, reinterpret_cast<sockaddr*>(&address), &length) != 0) return m->options.port;
  return ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port
                                             : reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

const std::string& BookServer::token() const { return m->token; }

void BookServer::run() { m->server.listen_after_bind(); }

void BookServer::stop() { m->stop(); }

}  // namespace inkpack

#pragma once
// A connection as cpp-httplib reads and writes it, with limits on the whole request and on the
// pace of an answer, which the library's own per-read and per-write time-outs do not give: a
// client that sends its request a byte at a time, or reads a book a byte at a time, would hold
// a worker thread for ever. Waits are cut into slices so that a stopping server is noticed.
#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "serve/http_server.hpp"

namespace inkpack {

class DeadlineStream : public httplib::Stream {
public:
  using Clock = std::chrono::steady_clock;

  /// Reads and writes `socket`; fails every read and write once `stopping` is set.
  DeadlineStream(socket_t socket, const ConnectionLimits& limits, const std::atomic<bool>& stopping);

  /// Waits for the next request to begin and starts its clock; false when none comes in time,
  /// the client closed the connection or the server is stopping.
  bool next_request();
  /// A read or write ran out of time (or the server is stopping), or the request grew too
  /// large: the connection is done.
  bool timed_out() const { return m_timed_out; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

private:
  /// Until `events` (POLLIN, POLLOUT) or `until`, whichever comes first.
  bool wait(short events, Clock::time_point until) const;
  /// wait(), remembering a time-out.
  bool wait_or_time_out(short events, Clock::time_point until);
  Clock::time_point write_deadline() const { return m_window_start + m_limits.window; }

  socket_t m_socket;
  ConnectionLimits m_limits;
  const std::atomic<bool>& m_stopping;
  Clock::time_point m_request_deadline;
  Clock::time_point m_window_start;
  std::size_t m_window_sent = 0;
  std::size_t m_request_read = 0;
  bool m_answering = false;
  bool m_timed_out = false;  ///< the first byte of the answer is written: the write limits hold
  std::array<char, 4096> m_buffer;  // httplib reads request lines a byte at a time
  std::size_t m_begin = 0, m_end = 0;
};

}  // namespace inkpack

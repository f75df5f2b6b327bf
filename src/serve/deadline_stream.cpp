#include "serve/deadline_stream.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace inkpack {
namespace {

// How long a stop may go unnoticed by a waiting connection.
constexpr auto k_slice = std::chrono::milliseconds(200);

void address_text(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

DeadlineStream::DeadlineStream(socket_t socket, const ConnectionLimits& limits, const std::atomic<bool>& stopping)
    : m_socket(socket), m_limits(limits), m_stopping(stopping) {}

bool DeadlineStream::wait(short events, Clock::time_point until) const {
  while (!m_stopping) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return false;
    pollfd watched{m_socket, events, 0};
    const int ready = poll(&watched, 1, static_cast<int>(std::min<std::chrono::milliseconds>(left, k_slice).count()));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
  }
  return false;
}

bool DeadlineStream::wait_or_time_out(short events, Clock::time_point until) {
  if (!wait(events, until)) m_timed_out = true;
  return !m_timed_out;
}

bool DeadlineStream::next_request() {
  m_answering = false;
  if (m_begin == m_end && !wait(POLLIN, Clock::now() + m_limits.idle)) return false;
  m_request_deadline = Clock::now() + m_limits.request;
  m_request_read = 0;
  return true;
}

bool DeadlineStream::is_readable() const { return m_begin < m_end || wait(POLLIN, m_request_deadline); }

bool DeadlineStream::is_writable() const {
  return wait(POLLOUT, m_answering ? write_deadline() : Clock::now() + m_limits.window);
}

ssize_t DeadlineStream::read(char* ptr, size_t size) {
  if (m_begin == m_end) {
    if (m_request_read >= m_limits.request_bytes) {
      m_timed_out = true;  // as good as: the connection is done
      return -1;
    }
    if (!wait_or_time_out(POLLIN, m_request_deadline)) return -1;
    const ssize_t got = recv(m_socket, m_buffer.data(), m_buffer.size(), 0);
    if (got <= 0) return got;
    m_begin = 0;
    m_end = static_cast<std::size_t>(got);
    m_request_read += m_end;
  }
  const std::size_t n = std::min(size, m_end - m_begin);
  std::copy_n(m_buffer.data() + m_begin, n, ptr);
  m_begin += n;
  return static_cast<ssize_t>(n);
}

ssize_t DeadlineStream::write(const char* ptr, size_t size) {
  if (!m_answering) {
    m_answering = true;
    m_window_start = Clock::now();
    m_window_sent = 0;
  }
  if (!wait_or_time_out(POLLOUT, write_deadline())) return -1;
  const ssize_t sent = send(m_socket, ptr, size, MSG_NOSIGNAL);
  if (sent > 0 && (m_window_sent += static_cast<std::size_t>(sent)) >= m_limits.window_bytes) {
    m_window_start = Clock::now();
    m_window_sent = 0;
  }
  return sent;
}

void DeadlineStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(m_socket, reinterpret_cast<sockaddr*>(&address), &length) == 0) address_text(address, ip, port);
}

void DeadlineStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(m_socket, reinterpret_cast<sockaddr*>(&address), &length) == 0) address_text(address, ip, port);
}

socket_t DeadlineStream::socket() const { return m_socket; }

}  // namespace inkpack

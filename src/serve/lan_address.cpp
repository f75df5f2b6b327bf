#include "serve/lan_address.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace inkpack {
namespace {

// The source address the kernel would use towards the Internet: "connecting" a UDP socket
// sends nothing, it only picks the route. Empty when there is no default route (offline).
std::string default_route_address() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return {};
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(53);
  inet_pton(AF_INET, "192.0.2.1", &remote.sin_addr);  // TEST-NET-1: any routable address would do
  sockaddr_in local{};
  socklen_t length = sizeof local;
  char text[INET_ADDRSTRLEN] = "";
  if (connect(fd, reinterpret_cast<const sockaddr*>(&remote), sizeof remote) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0)
    inet_ntop(AF_INET, &local.sin_addr, text, sizeof text);
  close(fd);
  return text;
}

bool is_link_local(in_addr address) { return (ntohl(address.s_addr) >> 16) == 0xA9FE; }

}  // namespace

std::vector<AddressCandidate> lan_candidates() {
  std::vector<AddressCandidate> found;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return found;
  for (const ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
      continue;
    const in_addr address = reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr;
    char text[INET_ADDRSTRLEN];
    if (is_link_local(address) || !inet_ntop(AF_INET, &address, text, sizeof text)) continue;
    found.push_back({i->ifa_name, text});
  }
  freeifaddrs(list);
  const std::string preferred = default_route_address();
  std::stable_partition(found.begin(), found.end(), [&](const AddressCandidate& c) { return c.address == preferred; });
  return found;
}

std::string printed_address(const std::string& bind, const std::vector<AddressCandidate>& candidates) {
  if (bind != "0.0.0.0" && bind != "::" && !bind.empty()) return bind;
  return candidates.empty() ? "127.0.0.1" : candidates.front().address;
}

}  // namespace inkpack

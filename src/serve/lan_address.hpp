#pragma once
// Which address a phone on the same network reaches this computer at.
#include <string>
#include <vector>

namespace inkpack {

struct AddressCandidate {
  std::string interface;  ///< "wlan0"
  std::string address;    ///< "192.168.1.23"
};

/// The IPv4 addresses of this computer's interfaces that are up, loopback and link-local
/// (169.254.x.x, no DHCP answer) apart; the interface behind the default route first.
std::vector<AddressCandidate> lan_candidates();

/// The address to print for a server bound to `bind`: `bind` itself when it is one address, else
/// the first LAN candidate, else 127.0.0.1 (no network: only this computer can connect).
std::string printed_address(const std::string& bind, const std::vector<AddressCandidate>& candidates);

}  // namespace inkpack

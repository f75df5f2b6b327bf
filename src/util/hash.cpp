#include "util/hash.hpp"

#include <xxhash.h>

#include <cstdio>

namespace inkpack {

std::array<std::uint64_t, 2> hash128(std::string_view bytes) {
  const XXH128_hash_t hash = XXH3_128bits(bytes.data(), bytes.size());
  return {hash.high64, hash.low64};
}

std::string hash_hex(std::string_view bytes) {
  const auto [hi, lo] = hash128(bytes);
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(lo));
  return buffer;
}

}  // namespace inkpack

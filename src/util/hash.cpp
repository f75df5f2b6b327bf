#include "util/hash.hpp"

#include <cstdio>

namespace inkpack {
namespace {

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t hash = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  // Final avalanche (from MurmurHash3's fmix64): FNV alone spreads short inputs poorly.
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  return hash;
}

}  // namespace

std::array<std::uint64_t, 2> hash128(std::string_view bytes) {
  return {fnv1a(bytes, 0x696e6b7061636b31ULL), fnv1a(bytes, 0x696e6b7061636b32ULL)};
}

std::string hash_hex(std::string_view bytes) {
  const auto [hi, lo] = hash128(bytes);
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(lo));
  return buffer;
}

}  // namespace inkpack

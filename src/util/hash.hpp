#pragma once
// A stable, well-spread 128-bit hash (two seeded 64-bit FNV-1a). Not cryptographic: it names
// cache files and derives identifiers, where only stability and spread matter.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace inkpack {

std::array<std::uint64_t, 2> hash128(std::string_view bytes);
/// hash128 as 32 lower-case hex digits.
std::string hash_hex(std::string_view bytes);

}  // namespace inkpack

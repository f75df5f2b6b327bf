#pragma once
// A stable, well-spread 128-bit hash (xxHash's XXH3). Not cryptographic: it names cache files,
// keys deduplication (confirmed byte for byte) and derives identifiers, where only stability,
// spread and speed matter — it runs over every downloaded byte.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace inkpack {

std::array<std::uint64_t, 2> hash128(std::string_view bytes);
/// hash128 as 32 lower-case hex digits.
std::string hash_hex(std::string_view bytes);

}  // namespace inkpack

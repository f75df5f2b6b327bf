#pragma once
// The allocator of every pixel buffer: stb's decoders and resizer (see stb_decoders.cpp) and
// Pixels use it, so a decoded image is adopted without a copy.
#include <cstddef>

namespace inkpack::pixel_memory {

/// nullptr when there is no room.
void* allocate(std::size_t size);
void release(void* block);
/// As realloc: the block may move; nullptr (the old block untouched) when there is no room.
void* reallocate(void* block, std::size_t size);

}  // namespace inkpack::pixel_memory

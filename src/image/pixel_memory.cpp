#include "image/pixel_memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

// Decoded images run to tens of megabytes and are written once: taken straight from the kernel
// in huge pages they cost a few page faults instead of thousands (on a virtual machine each is a
// trip through the hypervisor: measured, 0.2 s of a 1.2 s build) and go back to the system as
// soon as they are freed, so peak memory follows the images in work. Small blocks use malloc.
namespace inkpack::pixel_memory {
namespace {
struct Header {
  std::size_t size;
  std::size_t mapped;
  std::size_t padding[2];  // keeps the block after the header 16-byte aligned
};
constexpr std::size_t k_map_from = 1 << 20;
}  // namespace

void* allocate(std::size_t size) {
  const std::size_t total = size + sizeof(Header);
  Header* header = nullptr;
  if (total >= k_map_from) {
    void* block = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) return nullptr;
    ::madvise(block, total, MADV_HUGEPAGE);  // a hint: without transparent huge pages, plain pages
    header = static_cast<Header*>(block);
  } else if (!(header = static_cast<Header*>(std::malloc(total)))) {
    return nullptr;
  }
  header->size = size;
  header->mapped = total >= k_map_from;
  return header + 1;
}

void release(void* block) {
  if (!block) return;
  Header* header = static_cast<Header*>(block) - 1;
  if (header->mapped) ::munmap(header, header->size + sizeof(Header));
  else std::free(header);
}

void* reallocate(void* block, std::size_t size) {
  if (!block) return allocate(size);
  Header* header = static_cast<Header*>(block) - 1;
  if (header->mapped && size + sizeof(Header) >= k_map_from) {
    void* moved = ::mremap(header, header->size + sizeof(Header), size + sizeof(Header), MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) return nullptr;
    header = static_cast<Header*>(moved);
    header->size = size;
    return header + 1;
  }
  void* fresh = allocate(size);
  if (!fresh) return nullptr;
  std::memcpy(fresh, block, std::min(size, header->size));
  release(block);
  return fresh;
}
}  // namespace inkpack::pixel_memory

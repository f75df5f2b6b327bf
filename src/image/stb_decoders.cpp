// stb_image's decoders and stb_image_resize, compiled here alone so that CMakeLists.txt can give
// stb 2.27 (Debian 12) the rules its code assumes, on hostile files found by fuzz_image:
// - -fwrapv: its JPEG arithmetic runs in int on values taken from the file, unchecked; DC values
//   can add up past INT_MAX (stb 2.28 refuses such files). Wrapping turns that into noise.
// - -fno-delete-null-pointer-checks and no nonnull check: a PNG whose first IDAT chunk is empty
//   makes it memcpy zero bytes to a null pointer, which C2y defines (N3322) and GCC 12 may still
//   build on as if it could not happen.
// inkpack's own code keeps every sanitizer check.
#include "image/pixel_memory.hpp"

#define STBI_MALLOC(size) inkpack::pixel_memory::allocate(size)
#define STBI_REALLOC_SIZED(block, old_size, size) inkpack::pixel_memory::reallocate(block, size)
#define STBI_FREE(block) inkpack::pixel_memory::release(block)
#define STBIR_MALLOC(size, context) ((void)(context), inkpack::pixel_memory::allocate(size))
#define STBIR_FREE(block, context) ((void)(context), inkpack::pixel_memory::release(block))

// The dimension cap is stb's own defence against hostile headers ("denial-of-service attacks on
// untrusted data"). Debian's libstb.so is never linked, so these copies cannot clash with it.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_GIF
#define STBI_MAX_DIMENSIONS (1 << 16)
#include <stb_image.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>

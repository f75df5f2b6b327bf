#pragma once
// File-system helpers: whole-file reads and the atomic write that keeps a book either complete or
// absent at its path.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace inkpack {

/// As an input, standard input; as the output, standard output (pandoc's and curl's convention).
inline constexpr std::string_view k_standard_stream = "-";

/// The whole file (or what a pipe gives until it closes); an error past `limit` bytes, so that
/// /dev/zero or an endless pipe is refused instead of filling memory.
Expected<std::string> read_file(const std::filesystem::path& path, std::size_t limit = SIZE_MAX);

/// Writes `bytes` to a temporary file next to `path`, flushes it to disk (unless `sync` is false)
/// and renames it over `path`, so a reader never sees a half-written file and a failure leaves
/// the old one in place. Creates missing parent directories. A file replaced keeps its
/// permissions; a new one gets what the umask allows. Removes temporary files that writers
/// killed earlier left beside `path`, and nothing else.
Expected<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes, bool sync = true);

/// A file a build reads and what it is to the build ("an image en.md uses"), so that a book is
/// never written over it.
struct InputFile {
  std::filesystem::path path;
  std::string role;
};

/// The first of `inputs` that `output` is: the same file by device and inode, so a symlink, a
/// hard link or another spelling of the path counts too. Null when none is.
const InputFile* same_file_as(const std::filesystem::path& output, const std::vector<InputFile>& inputs);

/// A file name that Windows, Android and e-reader file systems accept, derived from `title`.
std::string safe_file_name(std::string_view title, std::string_view extension);

}  // namespace inkpack

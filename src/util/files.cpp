#include "util/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;

Expected<std::string> read_file(const fs::path& path, std::size_t limit) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fail(path.string() + ": is a directory, not a file");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(path.string() + ": cannot open: " + std::strerror(errno));
  // Read straight into one buffer of the file's size (images run to megabytes); the chunk
  // catches what a pipe, or a file that grew meanwhile, has beyond it.
  struct stat info {};
  std::string bytes;
  if (::fstat(fd, &info) == 0 && (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode))) {
    ::close(fd);
    return fail(path.string() + ": a device, not a file");
  }
  if (S_ISREG(info.st_mode))
    bytes.resize(std::min(static_cast<std::size_t>(info.st_size), limit == SIZE_MAX ? limit : limit + 1));
  std::size_t have = 0;
  std::array<char, 1 << 16> chunk;
  while (true) {
    const bool into_buffer = have < bytes.size();
    const ssize_t got = into_buffer ? ::read(fd, bytes.data() + have, bytes.size() - have)
                                    : ::read(fd, chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      return fail(path.string() + ": read error: " + std::strerror(error));
    }
    if (got == 0) break;
    if (!into_buffer) bytes.append(chunk.data(), static_cast<std::size_t>(got));
    have += static_cast<std::size_t>(got);
    if (have > limit) {
      ::close(fd);
      return fail(path.string() + ": larger than " + human_size(limit));
    }
  }
  bytes.resize(have);
  ::close(fd);
  return bytes;
}

namespace {

// Temporary files of earlier writes to `name` in `dir` whose writer died (kill -9, power loss):
// every writer holds a lock on its temporary file, which the kernel releases with the process, so
// an unlocked one is garbage and a locked one belongs to a write still going on.
void remove_stale_temporaries(const fs::path& dir, const std::string& name) {
  const std::string prefix = "." + name + ".";
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() != prefix.size() + 6 || !file.starts_with(prefix)) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(entry.path().c_str());
    ::close(fd);
  }
}

}  // namespace

Expected<void> write_file_atomically(const fs::path& requested, std::string_view bytes, bool sync) {
  std::error_code ec;
  // Write where a symlink points (even a dangling one), keeping the link; never replace a
  // device or a directory.
  fs::path path = requested;
  for (int hops = 0; hops < 16 && fs::is_symlink(path, ec); ++hops) {
    const fs::path target = fs::read_symlink(path, ec);
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    return fail(requested.string() + ": exists and is not a regular file");
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  fs::create_directories(dir, ec);
  if (ec) return fail(dir.string() + ": cannot create directory: " + ec.message());

  remove_stale_temporaries(dir, path.filename().string());
  std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return fail(dir.string() + ": cannot create a temporary file: " + std::strerror(errno));
  ::flock(fd, LOCK_EX);  // "in use" for remove_stale_temporaries; the kernel drops it if we die
  auto abandon = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(temp.c_str());
    return fail(path.string() + ": " + what + ": " + reason);
  };
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; a book is an ordinary document.
  if (::fchmod(fd, 0644) != 0 || (sync && ::fsync(fd) != 0)) return abandon("cannot finish writing");
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    return fail(path.string() + ": cannot finish writing: " + std::strerror(errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return fail(path.string() + ": cannot replace: " + reason);
  }
  return {};
}

const InputFile* same_file_as(const fs::path& output, const std::vector<InputFile>& inputs) {
  struct stat out {};
  if (::stat(output.c_str(), &out) != 0) return nullptr;  // nothing there yet to destroy
  for (const InputFile& input : inputs) {
    struct stat in {};
    if (::stat(input.path.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) return &input;
  }
  return nullptr;
}

std::string safe_file_name(std::string_view title, std::string_view extension) {
  // Characters Windows forbids in names, plus those that shells and URLs make awkward.
  constexpr std::string_view k_forbidden = "<>:\"/\\|?*";
  constexpr std::size_t k_max_bytes = 120;  // well under the 255-byte limits, extension included
  std::string name;
  for (std::size_t pos = 0; pos < title.size();) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(title, pos);
    std::string piece(title.substr(start, pos - start));
    if (cp < 0x20 || cp == 0x7F || (cp < 0x80 && k_forbidden.find(char(cp)) != std::string_view::npos))
      piece = "_";
    else if (is_unicode_whitespace(cp))
      piece = " ";
    if (name.size() + piece.size() > k_max_bytes) break;
    name += piece;
  }
  name = trim(name);
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.pop_back();
  while (!name.empty() && name.front() == '.') name.erase(0, 1);
  static const std::array<std::string_view, 22> k_reserved = {
      "CON",  "PRN",  "AUX",  "NUL",  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
      "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (auto reserved : k_reserved)
    if (upper == reserved) name += "_";
  if (name.empty()) name = "book";
  return name + std::string(extension);
}

}  // namespace inkpack

#include "util/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <random>

#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
using namespace std::string_view_literals;

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

// A temporary file is inkpack's, and abandoned, only when three things hold, so that cleaning up
// never touches a file a person keeps beside a book (`.book.epub.backup`, `.book.epub.v2-old`):
// - its name is `.<book>.inkpack-tmp-` and six random characters, a name no person chooses;
// - it ends in k_mark: a writer first puts the mark where the file's content will end, then
//   writes the content before it, and cuts the mark off only once all is written and flushed, just
//   before the rename. A writer killed anywhere in between leaves a file ending in the mark; a
//   file someone made with such a name does not;
// - it is unlocked: every writer holds a lock on its file, which the kernel drops with the
//   process, so a locked one belongs to a write still going on.
// A writer killed before its first write or after cutting the mark leaves a file that stays: a
// harmless leftover, never another's file deleted. (An extended attribute would be simpler, but
// not every file system keeps one.)
constexpr std::string_view k_temporary_infix = ".inkpack-tmp-";
constexpr std::string_view k_mark = "\n\0inkpack: an unfinished write, safe to delete\0\n"sv;
constexpr std::size_t k_random_chars = 6;

// Names stay within the 255 bytes file systems allow, however long the book's own name.
std::string temporary_prefix(const std::string& name) {
  constexpr std::size_t k_max_name = 255 - 1 - k_temporary_infix.size() - k_random_chars;
  return "." + name.substr(0, k_max_name) + std::string(k_temporary_infix);
}

bool is_abandoned_temporary(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size < static_cast<off_t>(k_mark.size())) return false;
  std::string tail(k_mark.size(), '\0');
  if (::pread(fd, tail.data(), tail.size(), info.st_size - static_cast<off_t>(tail.size())) != static_cast<ssize_t>(tail.size()))
    return false;
  return tail == k_mark && ::flock(fd, LOCK_EX | LOCK_NB) == 0;
}

// Temporary files of earlier writes to `name` in `dir` whose writer died (kill -9, power loss).
void remove_stale_temporaries(const fs::path& dir, const std::string& name) {
  const std::string prefix = temporary_prefix(name);
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() != prefix.size() + k_random_chars || !file.starts_with(prefix)) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) continue;
    if (is_abandoned_temporary(fd)) ::unlink(entry.path().c_str());
    ::close(fd);
  }
}

// A new file `<prefix>XXXXXX` in `dir`, created as open(2) creates files, so that the umask and a
// default ACL of the folder apply (mkstemp would make it 0600 whatever they say).
Expected<int> create_temporary(const fs::path& dir, const std::string& prefix, std::string& path) {
  constexpr std::string_view k_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    path = (dir / prefix).string();
    for (std::size_t i = 0; i < k_random_chars; ++i) path += k_chars[random() % k_chars.size()];
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) break;
  }
  return fail(dir.string() + ": cannot create a temporary file: " + std::strerror(errno));
}

bool write_all_at(int fd, std::string_view bytes, off_t offset) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The permissions of the file about to be replaced (0444 stays 0444), without set-id bits: they
// belonged to that file's owner and content, not to a book written now.
std::optional<mode_t> replaced_mode(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return info.st_mode & 0777;
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
  std::string temp;
  auto created = create_temporary(dir, temporary_prefix(path.filename().string()), temp);
  if (!created) return std::unexpected(created.error());
  const int fd = *created;
  ::flock(fd, LOCK_EX);  // "in use" for remove_stale_temporaries; the kernel drops it if we die
  auto abandon = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(temp.c_str());
    return fail(path.string() + ": " + what + ": " + reason);
  };
  const std::optional<mode_t> mode = replaced_mode(path);
  if (mode && ::fchmod(fd, *mode) != 0) return abandon("cannot keep the mode of the file it replaces");
  const off_t size = static_cast<off_t>(bytes.size());
  if (!write_all_at(fd, k_mark, size) || !write_all_at(fd, bytes, 0)) return abandon("write failed");
  // Flushed while still marked (the slow part), then the mark cut off and that flushed too.
  if ((sync && ::fsync(fd) != 0) || ::ftruncate(fd, size) != 0 || (sync && ::fsync(fd) != 0))
    return abandon("cannot finish writing");
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

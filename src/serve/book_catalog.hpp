#pragma once
// The books `inkpack serve` offers: the EPUB files named, and the .epub files directly in the
// folders named, looked at again on every request so a book saved into a folder appears.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "serve/book_info.hpp"
#include "util/error.hpp"

namespace inkpack {

struct ServedBook {
  std::string name;             ///< the file name: the last part of its address and what a phone saves
  std::filesystem::path path;   ///< without symlinks
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point modified;  ///< the file's
  std::shared_ptr<const BookInfo> info;
};

class BookCatalog {
public:
  /// `note` hears of a book that cannot be served (a .epub file in a folder that is not an EPUB,
  /// a named book since removed): once, until it can be again.
  using Note = std::function<void(const std::string&)>;

  /// Every source must be an EPUB file or a folder; an error names the first that is neither, or
  /// says there is no book at all.
  static Expected<std::unique_ptr<BookCatalog>> open(const std::vector<std::filesystem::path>& sources, Note note = {});

  /// The books as they are now: the named files that still exist, in the order given, then each
  /// folder's, by name. Names are unique: a second "a.epub" is "a (2).epub".
  std::vector<ServedBook> books();
  /// The book with this name now, if any.
  std::optional<ServedBook> find(const std::string& name);
  /// The files and folders named, without symlinks, in order.
  std::vector<std::filesystem::path> source_paths() const;

private:
  struct Source {
    std::filesystem::path path;  ///< canonical
    bool folder = false;
  };
  struct Cached {
    std::uint64_t size = 0;
    std::filesystem::file_time_type time;
    std::shared_ptr<const BookInfo> info;  ///< null: not an EPUB
  };

  explicit BookCatalog(Note note) : m_note(std::move(note)) {}
  /// Reads the book's metadata into m_cache unless the file is as it was when last read.
  Expected<void> read(const std::filesystem::path& path);
  std::optional<ServedBook> look_at(const std::filesystem::path& path);

  std::vector<Source> m_sources;
  Note m_note;
  std::mutex m_mutex;  ///< requests come on several threads
  std::map<std::filesystem::path, Cached> m_cache;
  std::set<std::filesystem::path> m_noted;
};

}  // namespace inkpack

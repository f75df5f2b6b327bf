#include "serve/book_catalog.hpp"

#include <algorithm>
#include <set>
#include <system_error>

#include "limits.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

bool is_epub_name(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension == ".epub";
}

// "a.epub", "a (2).epub", "a (3).epub"…: two named books from different folders may share a name.
std::string unique_name(const std::string& name, std::set<std::string>& taken) {
  std::string candidate = name;
  const fs::path path(name);
  for (int n = 2; taken.count(candidate); ++n)
    candidate = path.stem().string() + " (" + std::to_string(n) + ")" + path.extension().string();
  taken.insert(candidate);
  return candidate;
}

// The .epub files directly in `folder` that are really in it: a symlink leading out of the
// folder is not served, so a link cannot publish a file the user did not put there.
std::vector<fs::path> epub_files_in(const fs::path& folder) {
  std::vector<fs::path> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    if (!is_epub_name(entry.path())) continue;
    std::error_code ignored;
    const fs::path real = fs::canonical(entry.path(), ignored);
    if (!ignored && real.parent_path() == folder && fs::is_regular_file(real, ignored)) found.push_back(real);
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

Expected<std::unique_ptr<BookCatalog>> BookCatalog::open(const std::vector<fs::path>& sources, Note note) {
  std::unique_ptr<BookCatalog> catalog(new BookCatalog(std::move(note)));
  for (const fs::path& source : sources) {
    std::error_code error;
    const fs::path real = fs::canonical(source, error);
    if (error) return fail(source.string() + ": no such file or folder");
    const bool folder = fs::is_directory(real);
    if (!folder) {
      std::lock_guard lock(catalog->m_mutex);
      if (auto read = catalog->read(real); !read)
        return fail(source.string() + ": " + read.error().message + "; serve takes EPUB books and folders holding them");
    }
    catalog->m_sources.push_back({real, folder});
  }
  if (catalog->books().empty())
    return fail("no book to serve: the folders named hold no .epub file; name a book, or save one into the folder first");
  return catalog;
}

Expected<void> BookCatalog::read(const fs::path& path) {
  std::error_code error;
  const std::uint64_t size = fs::file_size(path, error);
  const fs::file_time_type time = fs::last_write_time(path, error);
  if (error) return fail("cannot read it: " + error.message());
  const auto cached = m_cache.find(path);
  if (cached != m_cache.end() && cached->second.size == size && cached->second.time == time) {
    if (!cached->second.info) return fail("not an EPUB");
    return {};
  }
  auto bytes = read_file(path, k_max_epub_file_bytes);
  auto info = bytes ? read_book_info(*bytes) : std::unexpected(bytes.error());
  m_cache[path] = {size, time, info ? std::make_shared<const BookInfo>(std::move(*info)) : nullptr};
  if (!info) return std::unexpected(info.error());
  return {};
}

std::optional<ServedBook> BookCatalog::look_at(const fs::path& path) {
  if (auto read = this->read(path); !read) {
    if (m_noted.insert(path).second && m_note) m_note(path.string() + ": not served: " + read.error().message);
    return std::nullopt;
  }
  m_noted.erase(path);
  const Cached& cached = m_cache.at(path);
  const auto modified =
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(std::chrono::file_clock::to_sys(cached.time));
  return ServedBook{path.filename().string(), path, cached.size, modified, cached.info};
}

std::vector<ServedBook> BookCatalog::books() {
  std::lock_guard lock(m_mutex);
  std::vector<fs::path> files;
  for (const Source& source : m_sources)
    if (!source.folder) files.push_back(source.path);
  for (const Source& source : m_sources)
    if (source.folder)
      for (fs::path& file : epub_files_in(source.path)) files.push_back(std::move(file));
  std::vector<ServedBook> books;
  std::set<std::string> names;
  std::set<fs::path> seen;  // a book named and also in a folder named is offered once
  for (const fs::path& file : files) {
    if (!seen.insert(file).second) continue;
    auto book = look_at(file);
    if (!book) continue;
    book->name = unique_name(book->name, names);
    books.push_back(std::move(*book));
  }
  return books;
}

std::vector<fs::path> BookCatalog::source_paths() const {
  std::vector<fs::path> paths;
  for (const Source& source : m_sources) paths.push_back(source.path);
  return paths;
}

std::optional<ServedBook> BookCatalog::find(const std::string& name) {
  for (ServedBook& book : books())
    if (book.name == name) return std::move(book);
  return std::nullopt;
}

}  // namespace inkpack

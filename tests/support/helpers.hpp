#pragma once
// Shared by the tests: build books into a scratch directory and look inside them the way a
// reading system would.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "book.hpp"

namespace inkpack::test {

/// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path write(const std::string& name, const std::string& bytes) const;

private:
  std::filesystem::path m_path;
};

struct Built {
  std::filesystem::path epub;
  Document doc;
  std::vector<Warning> warnings;
};

/// Writes `markdown` to DIR/article.md and reads it into the book's document.
Document load_markdown(const TempDir& dir, const std::string& markdown, BuildOptions options = {},
                       std::vector<Warning>* warnings = nullptr);
/// Section titles of a document, in order.
std::vector<std::string> titles(const Document& doc);

/// Writes `markdown` to DIR/article.md and builds DIR/book.epub from it (fixed timestamp).
/// Fails the test if the build fails.
Built build_markdown(const TempDir& dir, const std::string& markdown, BuildOptions options = {});
/// The same for a saved page (page.html), offline.
Built build_saved_page(const TempDir& dir, const std::string& html, BuildOptions options = {});

struct EpubEntry {
  std::string name;
  std::string bytes;
  bool stored;          ///< no compression
  int extra_field_size; ///< of the local header
};
/// Entries in archive order, read with libzip.
std::vector<EpubEntry> read_epub(const std::filesystem::path& epub);
std::string entry(const std::vector<EpubEntry>& entries, const std::string& name);

struct CheckResult {
  int fatals = -1, errors = -1, warnings = -1;
  std::string output;
};
/// Debian's EPUBCheck 4.2.6 on the book.
CheckResult epubcheck(const std::filesystem::path& epub);

/// Asserts EPUBCheck reports no fatal error, no error and no warning, printing its report if not.
void check_epubcheck_clean(const std::filesystem::path& epub);

/// Text that MuPDF, a real reading engine, extracts from the book.
std::string mutool_text(const std::filesystem::path& epub);

/// Every character MuPDF draws on the book's pages (at a phone's page size) with a font other
/// than the embedded one, or that the embedded face of its weight (EPUB/fonts/text*, bold or
/// regular) does not hold: the characters a reader would see in a fallback font or as a box.
std::string characters_missing_from_font(const std::filesystem::path& epub);

/// Runs a shell command; returns its exit status and fills `output` with stdout and stderr.
int run(const std::string& command, std::string& output);

/// Titles in the nav document's table of contents, in order.
std::vector<std::string> nav_titles(const std::vector<EpubEntry>& entries);
/// Labels in toc.ncx's navMap, in order.
std::vector<std::string> ncx_titles(const std::vector<EpubEntry>& entries);

/// Every XML file in the book parsed by tinyxml2: empty if all are well-formed, else the problems.
std::string xml_problems(const std::vector<EpubEntry>& entries);

/// tests/fixtures/http_server.py on 127.0.0.1, for as long as the object lives.
class TestServer {
public:
  TestServer();
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;
  std::string url(const std::string& path) const;
  /// How many requests each path has had.
  std::map<std::string, int> stats() const;

private:
  int m_pid = -1;
  int m_stdin = -1;
  int m_port = 0;
};

/// A GIF of `frames` frames, each a different pattern over a 256-colour palette, LZW-coded
/// without compression (about 9 bits a pixel), so its size is predictable.
std::string animated_gif(int width, int height, int frames);

std::filesystem::path source_dir();
std::filesystem::path seed_article();
std::string read_text(const std::filesystem::path& path);

}  // namespace inkpack::test

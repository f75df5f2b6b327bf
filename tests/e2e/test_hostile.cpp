// Hostile input and hostile conditions, end to end (docs/hardening.md lists each case): the
// command line or the library under a full disk, an unwritable place, a kill -9, absurd sizes and
// broken images. Each: no crash, a message a user can act on, nothing half-written.
#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <csignal>
#include <map>
#include <set>
#include <thread>

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "book.hpp"
#include "image/codec.hpp"
#include "support/helpers.hpp"
#include "util/files.hpp"

using namespace inkpack;
using namespace inkpack::test;
namespace fs = std::filesystem;

namespace {

const std::string k_inkpack = INKPACK_BINARY;

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A writer of `path` caught in the middle of writing it, past its first byte and before its
// rename (a 64 MB write and its fsync take long enough), and sent `signal`: SIGKILL as kill -9 or a
// power cut would, SIGSTOP to keep it writing (its lock held). Its pid and temporary file.
std::pair<pid_t, fs::path> interrupted_writer(const fs::path& path, int signal) {
  const std::string prefix = "." + path.filename().string() + ".inkpack-tmp-";
  std::set<fs::path> before;
  for (const auto& e : fs::directory_iterator(path.parent_path())) before.insert(e.path());
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(write_file_atomically(path, std::string(64 << 20, 'b')) ? 0 : 1);
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       std::chrono::steady_clock::now() < deadline;) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(path.parent_path(), ec)) {
      if (before.contains(e.path()) || !e.path().filename().string().starts_with(prefix)) continue;
      if (fs::file_size(e.path(), ec) == 0 || ec) continue;
      ::kill(pid, signal);
      return {pid, e.path()};
    }
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  FAIL("no temporary file named " << prefix << "… appeared while writing " << path);
  return {};
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("a build removes a killed writer's temporary file and nothing else: look-alikes survive byte-identical") {
  TempDir dir;
  const fs::path article = dir.write("a.md", "# T\n\nText.\n");
  const fs::path book = dir.path() / "book.epub";
  const std::map<std::string, std::string> look_alikes{
      {".book.epub.backup", "a backup"},
      {".book.epub.v2-old", "the second version"},
      {".book.epub.abcdef", "six characters, as mkstemp makes"},
      {".book.epub.inkpack-tmp-Ab12Cd", "named as inkpack names its temporary files, but not made by inkpack"},
      {".book.epub.inkpack-tmp-Zz99zz", ""}};
  for (const auto& [name, bytes] : look_alikes) dir.write(name, bytes);
  // The writer still going on first: the killed one's own clean-up must leave it alone too.
  const auto [writing, busy] = interrupted_writer(book, SIGSTOP);
  const struct Reaper {
    pid_t pid;
    ~Reaper() { ::kill(pid, SIGKILL), ::waitpid(pid, nullptr, 0); }
  } reaper{writing};
  const auto [killed, orphan] = interrupted_writer(book, SIGKILL);
  ::waitpid(killed, nullptr, 0);
  REQUIRE(fs::exists(busy));
  REQUIRE(fs::exists(orphan));

  std::string output;
  CHECK(run(k_inkpack + " --no-cache -q -o " + quoted(book) + " " + quoted(article), output) == 0);
  INFO(output);
  for (const auto& [name, bytes] : look_alikes) CHECK(read_text(dir.path() / name) == bytes);
  CHECK_FALSE(fs::exists(orphan));
  CHECK(fs::exists(busy));  // a write still going on
  CHECK(read_text(book).starts_with("PK"));
}

TEST_CASE("a replaced book keeps its mode, a new book's mode follows the umask") {
  TempDir dir;
  const fs::path article = dir.write("a.md", "# T\n\nText.\n");
  const fs::path book = dir.path() / "book.epub";
  const auto build = [&](const char* umask, const fs::path& out) {
    std::string output;
    const int code = run(std::string("umask ") + umask + "; exec " + k_inkpack + " --no-cache -q -o " + quoted(out) +
                             " " + quoted(article), output);
    INFO(output);
    CHECK(code == 0);
  };
  build("022", book);
  CHECK(mode_of(book) == 0644);
  ::chmod(book.c_str(), 0444);
  const std::string replaced = read_text(book);
  dir.write("a.md", "# T\n\nOther text.\n");
  build("022", book);
  CHECK(read_text(book) != replaced);
  CHECK(mode_of(book) == 0444);
  ::chmod(book.c_str(), 0640);
  build("077", book);
  CHECK(mode_of(book) == 0640);

  build("077", dir.path() / "private.epub");
  CHECK(mode_of(dir.path() / "private.epub") == 0600);
  build("027", dir.path() / "group.epub");
  CHECK(mode_of(dir.path() / "group.epub") == 0640);
}

TEST_CASE("a full disk (ulimit -f): a clear error, the earlier book intact, no temporary file left") {
  TempDir dir;
  const fs::path book = dir.write("book.epub", "the earlier book");
  std::string output;
  // 4 blocks: 2 KB in dash (512-byte blocks), 4 KB in bash; the sample book is about 13 KB.
  const int code = run("ulimit -f 4; exec " + k_inkpack + " --sample --no-cache -q -o " + quoted(book), output);
  INFO(output);
  CHECK(code == 1);
  CHECK(output.find("File too large") != std::string::npos);
  CHECK(read_text(book) == "the earlier book");
  CHECK(files_in(dir.path()) == std::vector<std::string>{"book.epub"});
}

TEST_CASE("an output directory that cannot be created or written: a clear error, exit 1") {
  std::string output;
  // /proc takes no new files, even from root (the tests may run as root, who ignores modes).
  const int code = run(k_inkpack + " --sample --no-cache -q -o /proc/inkpack-test/book.epub", output);
  INFO(output);
  CHECK(code == 1);
  CHECK(output.find("/proc/inkpack-test") != std::string::npos);
  CHECK(output.find("cannot create directory") != std::string::npos);
  CHECK_FALSE(fs::exists("/proc/inkpack-test"));
}

TEST_CASE("kill -9 of a running build: the earlier book intact, the next build leaves no temporary file") {
  TestServer server;
  TempDir dir;
  const fs::path book = dir.write("book.epub", "the earlier book");
  const fs::path article = dir.write("a.md", "# 被打断的书\n\n正文。\n\n![](" + server.url("/slow.png") + ")\n");
  const std::string out = book.string(), in = article.string();
  const char* argv[] = {k_inkpack.c_str(), "--no-cache", "-q", "-o", out.c_str(), in.c_str(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, const_cast<char* const*>(argv), environ) == 0);
  // The build waits on the stalling image server; wait until it has asked, then kill it.
  for (int i = 0; i < 100 && server.stats()["/slow.png"] == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(read_text(book) == "the earlier book");

  std::string output;
  CHECK(run(k_inkpack + " --offline --no-cache -q -o " + quoted(book) + " " + quoted(article), output) == 0);
  CHECK(read_text(book).starts_with("PK"));
  CHECK(files_in(dir.path()) == std::vector<std::string>{"a.md", "book.epub"});
}

TEST_CASE("an output that is any file the build reads is refused by name: exit 1, every file intact") {
  TempDir dir;
  const std::string png = read_text(source_dir() / "samples/sample-article/images/steps.png");
  dir.write("chart.png", png);
  dir.write("cover.png", png);
  dir.write("en.md", "# Chart\n\nText.\n\n![chart](chart.png)\n");
  dir.write("book.yaml", "title: Charts\narticles:\n  - en.md\n");
  dir.write("my.css", "p { color: black; }\n");
  dir.write("Serif.ttf", read_text("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"));
  dir.write("Serif-Bold.ttf", read_text("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"));
  dir.write("templates/EPUB/styles/book.css", read_text(source_dir() / "epub-templates/EPUB/styles/book.css"));
  fs::create_hard_link(dir.path() / "chart.png", dir.path() / "hard-link.png");
  fs::create_symlink("my.css", dir.path() / "symlink.css");
  std::map<std::string, std::string> before;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    if (e.is_regular_file()) before[e.path().string()] = read_text(e.path());
  const std::string build = "cd " + quoted(dir.path()) + " && " + k_inkpack +
                            " --no-cache --offline --cover cover.png --css my.css --font Serif.ttf --templates templates ";
  std::string output;
  REQUIRE(run(build + "en.md -o fine.epub", output) == 0);
  fs::remove(dir.path() / "fine.epub");

  // The output, the input, and words the message must use to say which input it is.
  const std::vector<std::array<std::string, 3>> cases{
      {"en.md", "en.md", "one of the articles"},   {"chart.png", "en.md", "an image en.md uses"},
      {"hard-link.png", "en.md", "an image"},      {"cover.png", "en.md", "--cover"},
      {"my.css", "en.md", "--css"},                {"symlink.css", "en.md", "--css"},
      {"Serif.ttf", "en.md", "--font"},            {"Serif-Bold.ttf", "en.md", "the bold font file"},
      {"templates/EPUB/styles/book.css", "en.md", "--templates"},
      {"book.yaml", "book.yaml", "the manifest"},  {"en.md", "book.yaml", "one of the articles"}};
  for (const auto& [out, in, role] : cases) {
    INFO("inkpack " << in << " -o " << out);
    const int code = run(build + in + " -o " + out, output);
    INFO(output);
    CHECK(code == 1);
    CHECK(output.starts_with("inkpack: error: " + out + ": is "));
    CHECK(output.find(role) != std::string::npos);
    CHECK(output.find("choose another output path with -o") != std::string::npos);
    for (const auto& [path, bytes] : before) CHECK(read_text(path) == bytes);
    CHECK(fs::is_symlink(dir.path() / "symlink.css"));
  }
}

TEST_CASE("zero-byte and truncated images of every format: reported, the book still valid") {
  TempDir dir;
  const fs::path corpus = source_dir() / "fuzz/corpus/image";
  std::string md = "# 坏图\n\n正文。\n\n![空](zero.png)\n\n";
  for (const char* name : {"photo.jpg", "steps.png", "animated.gif", "lossy.webp"}) {
    const std::string bytes = read_text(corpus / name);
    dir.write(std::string("cut-") + name, bytes.substr(0, bytes.size() / 2));
    md += std::string("![半张](cut-") + name + ")\n\n";
  }
  dir.write("zero.png", "");
  const Built built = build_markdown(dir, md);
  const auto warned = [&](const std::string& name) {
    return std::any_of(built.warnings.begin(), built.warnings.end(),
                       [&](const Warning& w) { return w.detail.find(name) != std::string::npos; });
  };
  CHECK(warned("zero.png"));
  // A truncated file either still decodes (stb fills in what is missing) or is reported as
  // missing: none is lost without a word.
  std::size_t reported = 0;
  for (const char* name : {"cut-photo.jpg", "cut-steps.png", "cut-animated.gif", "cut-lossy.webp"}) reported += warned(name);
  CHECK(built.doc.media.size() + reported == 4);
  check_epubcheck_clean(built.epub);
}

TEST_CASE("5000 images in one article: each stored, the book valid") {
  TempDir dir;
  std::string md = "# 五千张图\n\n";
  for (int i = 0; i < 5000; ++i) {
    Pixels p = Pixels::allocate(4, 4, 3);
    for (std::size_t k = 0; k < p.size(); ++k) p.data[k] = static_cast<unsigned char>((i >> (8 * (k % 2))) + k);
    dir.write("i" + std::to_string(i) + ".png", encode_png(p));
    md += "![](i" + std::to_string(i) + ".png)\n";
  }
  const Built built = build_markdown(dir, md);
  CHECK(built.warnings.empty());
  CHECK(built.doc.media.size() == 5000);
  check_epubcheck_clean(built.epub);
}

TEST_CASE("a 50 MB article: a book, every part of it, in bounded time") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("not run under AddressSanitizer: 50 MB of text there takes minutes and gigabytes");
  return;
#endif
  TempDir dir;
  std::string md = "# 很长的文章\n\n";
  const std::string paragraph = "一段用来撑大文章的中文，有**加粗**，有*强调*，也有[链接](https://example.com/)。";
  for (int part = 1; md.size() < (50u << 20); ++part) {
    md += "**第" + std::to_string(part) + "部分**\n\n";
    for (int i = 0; i < 400; ++i) md += paragraph + "\n\n";
  }
  md += "最后一句话。\n";
  const Built built = build_markdown(dir, md);
  CHECK(built.warnings.empty());
  CHECK(built.doc.sections.size() > 100);
  const auto entries = read_epub(built.epub);
  std::string last;
  for (const EpubEntry& e : entries)
    if (e.name.starts_with("EPUB/text/ch")) last = e.bytes;
  CHECK(last.find("最后一句话。") != std::string::npos);
}

TEST_CASE("a UTF-8 BOM, CRLF and CR line ends, NUL bytes and a 1 MB line: the same book as clean text gives") {
  TempDir dir;
  const std::string clean = "# 标题\n\n开头。\n\n**第一节**\n\n正文。\n\n**第二节**\n\n正文二。\n";
  std::string crlf, cr;
  for (char c : clean) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    cr += c == '\n' ? '\r' : c;
  }
  std::string long_line = "\n";
  while (long_line.size() < (1u << 20)) long_line += "长";  // Chinese, so the book stays zh
  long_line += "\n";
  const std::string controls("\0尾。\n\x01尾。\n", 16);
  for (const std::string& text : {"\xEF\xBB\xBF" + crlf, cr, clean + controls + long_line}) {
    BuildOptions options;
    const Built built = build_markdown(dir, text, options);
    CHECK(format_outline(built.doc) == "标题\n  1. 引言\n  2. 第一节\n  3. 第二节\n");
    const auto entries = read_epub(built.epub);
    CHECK(xml_problems(entries).empty());
    std::string chapters;
    for (const EpubEntry& e : entries)
      if (e.name.starts_with("EPUB/text/ch")) chapters += e.bytes;
    CHECK(chapters.find("\xEF\xBB\xBF") == std::string::npos);
    CHECK(chapters.find('\r') == std::string::npos);
    if (text.size() > (1u << 20)) {
      CHECK(chapters.find(long_line.substr(1, long_line.size() - 2)) != std::string::npos);
      CHECK(chapters.find("\xEF\xBF\xBD") != std::string::npos);  // NUL and U+0001 became U+FFFD
      // Each control character reported with its line; and the preflight says the 1 MB
      // paragraph makes a file too large for Kindle (a paragraph is never split).
      REQUIRE(built.warnings.size() == 3);
      CHECK(built.warnings[2].where == "check content-size");
    }
  }
}

#include "support/helpers.hpp"

#include <hb.h>
#include <tinyxml2.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "util/text.hpp"

namespace inkpack::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device random;
  m_path = fs::temp_directory_path() / ("inkpack-test-" + std::to_string(random()));
  fs::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& bytes) const {
  const fs::path path = m_path / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

Document load_markdown(const TempDir& dir, const std::string& markdown, BuildOptions options,
                       std::vector<Warning>* warnings) {
  options.inputs = {dir.write("article.md", markdown)};
  Diagnostics diags;
  auto doc = load_document(options, diags);
  INFO((doc ? std::string() : doc.error().message));
  REQUIRE(doc);
  if (warnings) *warnings = diags.warnings();
  return std::move(*doc);
}

std::vector<std::string> titles(const Document& doc) {
  std::vector<std::string> out;
  for (const Section& section : doc.sections) out.push_back(section.title);
  return out;
}

namespace {

Built build_file(const TempDir& dir, const std::string& name, const std::string& text, BuildOptions options) {
  options.inputs = {dir.write(name, text)};
  if (!options.output) options.output = dir.path() / "book.epub";
  if (!options.timestamp) options.timestamp = 1700000000;
  Diagnostics diags;
  auto result = build_book(options, diags);
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return {result->output, std::move(result->doc), diags.warnings()};
}

}  // namespace

Built build_markdown(const TempDir& dir, const std::string& markdown, BuildOptions options) {
  return build_file(dir, "article.md", markdown, std::move(options));
}

Built build_saved_page(const TempDir& dir, const std::string& html, BuildOptions options) {
  options.images.offline = true;
  return build_file(dir, "page.html", html, std::move(options));
}

std::vector<EpubEntry> read_epub(const fs::path& epub) {
  std::vector<EpubEntry> entries;
  int error = 0;
  zip_t* archive = zip_open(epub.c_str(), ZIP_RDONLY, &error);
  REQUIRE(archive != nullptr);
  const std::string raw = read_text(epub);
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    std::string bytes(stat.size, '\0');
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    REQUIRE(file != nullptr);
    zip_fread(file, bytes.data(), stat.size);
    zip_fclose(file);
    // The local header's extra-field length sits at offset 28; find the header by its name.
    int extra = -1;
    const std::size_t name_at = raw.find(std::string(stat.name));
    if (name_at >= 30 && raw.compare(name_at - 30, 4, "PK\x03\x04") == 0)
      extra = static_cast<unsigned char>(raw[name_at - 2]) | (static_cast<unsigned char>(raw[name_at - 1]) << 8);
    entries.push_back({stat.name, std::move(bytes), stat.comp_method == ZIP_CM_STORE, extra});
  }
  zip_close(archive);
  return entries;
}

std::string entry(const std::vector<EpubEntry>& entries, const std::string& name) {
  for (const EpubEntry& e : entries)
    if (e.name == name) return e.bytes;
  FAIL("no entry " << name << " in the book");
  return {};
}

int run(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buffer;
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

CheckResult epubcheck(const fs::path& epub) {
  CheckResult result;
  run("java -jar /usr/share/java/epubcheck.jar '" + epub.string() + "'", result.output);
  std::smatch m;
  static const std::regex k_summary(R"(Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?)");
  if (std::regex_search(result.output, m, k_summary)) {
    result.fatals = std::stoi(m[1]);
    result.errors = std::stoi(m[2]);
    result.warnings = std::stoi(m[3]);
  }
  return result;
}

void check_epubcheck_clean(const fs::path& epub) {
  const CheckResult check = epubcheck(epub);
  INFO(check.output);
  CHECK(check.fatals == 0);
  CHECK(check.errors == 0);
  CHECK(check.warnings == 0);
}

std::string mutool_text(const fs::path& epub) {
  std::string output;
  const int status = run("mutool draw -q -F txt -o - '" + epub.string() + "'", output);
  REQUIRE(status == 0);
  return output;
}

namespace {

std::vector<std::string> texts_of(const std::string& xml, const char* container, const char* leaf) {
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(xml.data(), xml.size()) == tinyxml2::XML_SUCCESS);
  std::vector<std::string> out;
  std::vector<const tinyxml2::XMLElement*> stack{doc.RootElement()};
  const tinyxml2::XMLElement* scope = nullptr;
  while (!stack.empty()) {
    const tinyxml2::XMLElement* e = stack.back();
    stack.pop_back();
    if (std::string(e->Name()) == container && (std::string(container) != "nav" || e->Attribute("epub:type", "toc"))) {
      scope = e;
      break;
    }
    for (auto* c = e->LastChildElement(); c; c = c->PreviousSiblingElement()) stack.push_back(c);
  }
  REQUIRE(scope != nullptr);
  stack = {scope};
  while (!stack.empty()) {
    const tinyxml2::XMLElement* e = stack.back();
    stack.pop_back();
    if (std::string(e->Name()) == leaf) {
      out.push_back(e->GetText() ? e->GetText() : "");
      continue;
    }
    for (auto* c = e->LastChildElement(); c; c = c->PreviousSiblingElement()) stack.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::string> nav_titles(const std::vector<EpubEntry>& entries) {
  return texts_of(entry(entries, "EPUB/nav.xhtml"), "nav", "a");
}

std::vector<std::string> ncx_titles(const std::vector<EpubEntry>& entries) {
  return texts_of(entry(entries, "EPUB/toc.ncx"), "navMap", "text");
}

std::string xml_problems(const std::vector<EpubEntry>& entries) {
  std::string problems;
  static const std::regex k_self_closed_non_void(
      R"(<(?!(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b)([a-zA-Z][\w:-]*)(\s[^<>]*)?/>)");
  for (const EpubEntry& e : entries) {
    const bool xhtml = e.name.ends_with(".xhtml");
    if (!xhtml && !e.name.ends_with(".opf") && !e.name.ends_with(".ncx") && !e.name.ends_with(".xml")) continue;
    if (!e.bytes.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
      problems += e.name + ": no XML declaration with encoding\n";
    tinyxml2::XMLDocument doc;
    if (doc.Parse(e.bytes.data(), e.bytes.size()) != tinyxml2::XML_SUCCESS)
      problems += e.name + ": " + doc.ErrorStr() + "\n";
    std::smatch m;
    if (xhtml && std::regex_search(e.bytes, m, k_self_closed_non_void))
      problems += e.name + ": self-closed non-void element " + m.str() + "\n";
  }
  return problems;
}

TestServer::TestServer() {
  int to_child[2], from_child[2];
  REQUIRE(pipe(to_child) == 0);
  REQUIRE(pipe(from_child) == 0);
  m_pid = fork();
  REQUIRE(m_pid >= 0);
  if (m_pid == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    close(to_child[1]);
    close(from_child[0]);
    const std::string script = (source_dir() / "tests/fixtures/http_server.py").string();
    execlp("python3", "python3", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  m_stdin = to_child[1];
  char line[32] = {};
  FILE* out = fdopen(from_child[0], "r");
  REQUIRE(out != nullptr);
  REQUIRE(std::fgets(line, sizeof line, out) != nullptr);
  std::fclose(out);
  m_port = std::atoi(line);
  REQUIRE(m_port > 0);
}

TestServer::~TestServer() {
  close(m_stdin);  // the server exits when its standard input closes
  int status = 0;
  waitpid(m_pid, &status, 0);
}

std::string TestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

std::map<std::string, int> TestServer::stats() const {
  std::map<std::string, int> counts;
  std::string body;
  fetch_all(*make_curl_client(), {{url("/__stats")}}, {}, [&](std::size_t, FetchResult r) { body = r.body; });
  static const std::regex k_pair(R"re("([^"]+)": (\d+))re");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), k_pair); it != std::sregex_iterator(); ++it)
    counts[(*it)[1]] = std::stoi((*it)[2]);
  return counts;
}

fs::path source_dir() { return INKPACK_SOURCE_DIR; }

fs::path seed_article() { return source_dir() / ".." / "shared" / "seed" / "000_0a39d42c6e4d68c6.txt"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string animated_gif(int width, int height, int frames) {
  std::string gif = "GIF89a";
  const auto u16 = [&](int v) { gif += static_cast<char>(v & 0xFF); gif += static_cast<char>(v >> 8); };
  u16(width);
  u16(height);
  gif += std::string("\xF7\0\0", 3);  // a 256-entry global colour table follows
  for (int i = 0; i < 256; ++i) gif += {static_cast<char>(i), static_cast<char>(255 - i), static_cast<char>(i * 7)};
  gif += std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\0\0\0", 19);  // loop forever
  for (int f = 0; f < frames; ++f) {
    gif += std::string("\x21\xF9\x04\x04\x0A\0\0\0", 8);  // 0.1 s a frame
    gif += ',';
    u16(0), u16(0), u16(width), u16(height);
    gif += '\0';
    gif += '\x08';  // LZW minimum code size: 8, so codes are 9 bits
    std::string data;
    std::uint32_t bits = 0;
    int count = 0;
    const auto code = [&](unsigned c) {
      bits |= c << count;
      for (count += 9; count >= 8; count -= 8, bits >>= 8) data += static_cast<char>(bits & 0xFF);
    };
    const long pixels = static_cast<long>(width) * height;
    for (long p = 0; p < pixels; ++p) {
      if (p % 254 == 0) code(256);  // clear before the table would need 10-bit codes
      code(static_cast<unsigned>((p / width + p % width + f * 40) % 256));
    }
    code(257);
    if (count > 0) data += static_cast<char>(bits & 0xFF);
    for (std::size_t at = 0; at < data.size(); at += 255) {
      const std::size_t n = std::min<std::size_t>(255, data.size() - at);
      gif += static_cast<char>(n);
      gif += data.substr(at, n);
    }
    gif += '\0';
  }
  return gif + ';';
}

namespace {

// Characters the font maps, read with HarfBuzz from the embedded file's bytes.
std::set<char32_t> font_characters(const std::string& font) {
  hb_blob_t* blob = hb_blob_create(font.data(), static_cast<unsigned>(font.size()), HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  hb_face_t* face = hb_face_create(blob, 0);
  hb_set_t* set = hb_set_create();
  hb_face_collect_unicodes(face, set);
  std::set<char32_t> characters;
  for (hb_codepoint_t cp = HB_SET_VALUE_INVALID; hb_set_next(set, &cp);) characters.insert(cp);
  hb_set_destroy(set);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  return characters;
}

}  // namespace

std::string characters_missing_from_font(const fs::path& epub) {
  const auto entries = read_epub(epub);
  std::map<std::string, std::set<char32_t>> faces;  // by weight: the embedded files' characters
  std::string family;
  for (const EpubEntry& e : entries) {
    if (!e.name.starts_with("EPUB/fonts/")) continue;
    faces[e.name.find("-bold.") != std::string::npos ? "bold" : "regular"] = font_characters(e.bytes);
  }
  const std::string css = entry(entries, "EPUB/styles/book.css");
  const std::size_t at = css.find("@font-face { font-family: \"");
  REQUIRE(at != std::string::npos);
  family = css.substr(at + 27, css.find('"', at + 27) - at - 27);
  // MuPDF's structured text names the font each character was drawn with.
  std::string stext;
  REQUIRE(run("mutool draw -q -F stext -W 390 -H 844 -o - '" + epub.string() + "' 2>/dev/null", stext) == 0);
  std::istringstream lines(stext);
  std::string font, missing;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("<font name=\"")) font = line.substr(12, line.find('"', 12) - 12);
    const std::size_t c = line.find(" c=\"");
    if (c == std::string::npos) continue;
    const std::string value = line.substr(c + 4, line.find('"', c + 4) - c - 4);
    char32_t cp = 0;
    if (value.starts_with("&#x")) cp = static_cast<char32_t>(std::stoul(value.substr(3), nullptr, 16));
    else if (value.starts_with("&")) continue;  // &amp; &lt; &gt; &quot;: ASCII, checked below as such
    else cp = first_code_point(value);
    if (cp <= U' ' || is_unicode_whitespace(cp)) continue;
    const bool bold = font.find("Bold") != std::string::npos && faces.count("bold");
    if (!font.starts_with(family) || !faces[bold ? "bold" : "regular"].count(cp)) append_utf8(missing, cp);
  }
  return missing;
}

}  // namespace inkpack::test

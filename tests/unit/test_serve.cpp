// inkpack serve's parts, and the server itself on 127.0.0.1: what a phone and a hostile client
// on the same network can ask of it.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <tinyxml2.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "image/codec.hpp"
#include "serve/book_catalog.hpp"
#include "serve/book_info.hpp"
#include "serve/download.hpp"
#include "serve/http_server.hpp"
#include "serve/lan_address.hpp"
#include "serve/opds_feed.hpp"
#include "serve/phone_page.hpp"
#include "serve/qr.hpp"
#include "serve/routes.hpp"
#include "support/helpers.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

using namespace inkpack;
using namespace inkpack::test;
namespace fs = std::filesystem;

namespace {

const char* k_article = "---\ntitle: 山间小记\nauthor: 林小满\ndescription: 四季的茶。\n---\n\n# 山间小记\n\n## 春\n\n春天的茶。\n";
const std::string k_chinese_name = "2024，7大机会.epub";

// One book built once for every test here (a build takes a second).
const fs::path& sample_book() {
  static TempDir dir;
  static const fs::path book = [] {
    const Built built = build_markdown(dir, k_article);
    const fs::path named = dir.path() / k_chinese_name;
    fs::rename(built.epub, named);
    return named;
  }();
  return book;
}

std::string bytes_of(const fs::path& path) { return *read_file(path); }

// The server on 127.0.0.1 on a free port, answering on a thread of its own while the object lives.
class RunningServer {
public:
  explicit RunningServer(std::vector<fs::path> sources, ServeOptions options = {}) {
    options.bind = "127.0.0.1";
    options.port = 0;
    auto catalog = BookCatalog::open(sources);
    REQUIRE(catalog);
    auto started = BookServer::start(std::move(*catalog), options, [this](const std::string& line) {
      std::lock_guard lock(m_mutex);
      m_log.push_back(line);
    });
    REQUIRE(started);
    m_server = std::move(*started);
    m_done = std::async(std::launch::async, [this] { m_server->run(); });
  }
  ~RunningServer() {
    m_server->stop();
    m_done.wait();
  }
  httplib::Client client() const { return httplib::Client("127.0.0.1", m_server->port()); }
  std::string path(RouteKind kind, const std::string& book = {}) const { return route_path(m_server->token(), kind, book); }
  const std::string& token() const { return m_server->token(); }
  int port() const { return m_server->port(); }
  bool stopped_within(std::chrono::seconds limit) { return m_done.wait_for(limit) == std::future_status::ready; }
  /// The log once it has at least `lines` lines (each is written just after its answer), or after 5 s.
  std::vector<std::string> log(std::size_t lines = 0) {
    for (int i = 0; i < 100; ++i) {
      {
        std::lock_guard lock(m_mutex);
        if (m_log.size() >= lines) return m_log;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::lock_guard lock(m_mutex);
    return m_log;
  }

private:
  std::unique_ptr<BookServer> m_server;
  std::future<void> m_done;
  std::mutex m_mutex;
  std::vector<std::string> m_log;
};

// A client that connects and sends a request's first line, then a byte now and then: never a whole request.
int slow_client(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  const std::string start = "GET / HTTP/1.1\r\nX-Slow: ";
  REQUIRE(send(fd, start.data(), start.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(start.size()));
  return fd;
}

tinyxml2::XMLElement* child(tinyxml2::XMLElement* parent, const char* name) {
  return parent ? parent->FirstChildElement(name) : nullptr;
}

}  // namespace

TEST_CASE("serve::decide_range, one range clamped to the file, anything else the whole file or 416") {
  using R = RangeAnswer;
  const auto decide = [](std::vector<RangeAsked> asked) { return decide_range(asked, 1000); };
  CHECK(decide({}).answer == R::whole);
  auto d = decide({{100, 199}});
  CHECK((d.answer == R::part && d.first == 100 && d.last == 199));
  d = decide({{900, -1}});
  CHECK((d.answer == R::part && d.first == 900 && d.last == 999));
  d = decide({{-1, 10}});
  CHECK((d.answer == R::part && d.first == 990 && d.last == 999));
  d = decide({{-1, 5000}});  // a suffix longer than the file is the whole file, as a part
  CHECK((d.answer == R::part && d.first == 0 && d.last == 999));
  d = decide({{0, std::numeric_limits<std::int64_t>::max()}});
  CHECK((d.answer == R::part && d.first == 0 && d.last == 999));
  CHECK(decide({{1000, 1010}}).answer == R::unsatisfiable);
  CHECK(decide({{std::numeric_limits<std::int64_t>::max(), -1}}).answer == R::unsatisfiable);
  CHECK(decide({{-1, 0}}).answer == R::unsatisfiable);
  CHECK(decide({{50, 10}}).answer == R::whole);  // invalid: ignored
  CHECK(decide({{0, 10}, {5, 20}}).answer == R::whole);  // several, overlapping
  CHECK(decide(std::vector<RangeAsked>(1000, {0, -1})).answer == R::whole);
  CHECK(decide_range({{0, 0}}, 0).answer == R::unsatisfiable);
}

TEST_CASE("serve::ReceivedParts, complete once every byte has come, in any order") {
  ReceivedParts parts;
  CHECK_FALSE(parts.add(900, 100, 1000));  // a glance at the end
  CHECK_FALSE(parts.add(0, 300, 1000));
  CHECK_FALSE(parts.add(500, 100, 1000));
  CHECK_FALSE(parts.add(300, 0, 1000));
  CHECK(parts.add(250, 700, 1000));
  CHECK_FALSE(parts.add(0, 1000, 1000));  // the first time only
  ReceivedParts whole;
  CHECK(whole.add(0, 1000, 1000));
}

TEST_CASE("serve::content_disposition, an ASCII fallback and the real UTF-8 name (RFC 6266, RFC 8187)") {
  const std::string header = content_disposition(k_chinese_name);
  CHECK(header.starts_with("attachment; filename=\"2024_7_.epub\"; filename*=UTF-8''"));
  CHECK(percent_decode(header.substr(header.find("''") + 2)) == k_chinese_name);
  CHECK(content_disposition("a \"quoted\" \\ name.epub").find("filename=\"a _quoted_ _ name.epub\"") != std::string::npos);
  CHECK(content_disposition("大机会.epub").find("filename=\"book.epub\"") != std::string::npos);
  CHECK(content_disposition("line\r\nbreak.epub").find('\n') == std::string::npos);
}

TEST_CASE("serve::parse_route, the token first and nothing outside the books") {
  const std::string token = "k3J9q2ab";
  CHECK(parse_route("/k3J9q2ab/", token)->kind == RouteKind::page);
  CHECK(parse_route("/k3J9q2ab", token)->kind == RouteKind::page);
  CHECK(parse_route("/k3J9q2ab/?from=qr", token)->kind == RouteKind::page);
  CHECK(parse_route("/k3J9q2ab/opds.xml", token)->kind == RouteKind::feed);
  const auto book = parse_route("/k3J9q2ab/books/2024%EF%BC%8C7%E5%A4%A7%E6%9C%BA%E4%BC%9A.epub", token);
  REQUIRE(book);
  CHECK((book->kind == RouteKind::book && book->book == k_chinese_name));
  CHECK(parse_route("/k3J9q2ab/covers/a.epub", token)->kind == RouteKind::cover);
  CHECK(parse_route("/k3J9q2ab/thumbnails/a.epub", token)->kind == RouteKind::thumbnail);
  for (const char* refused :
       {"/", "/opds.xml", "/books/a.epub", "/k3J9q2aX/", "/k3J9q2a/", "/k3J9q2abc/", "/K3J9Q2AB/", "k3J9q2ab/",
        "http://host/k3J9q2ab/", "/k3J9q2ab/../", "/k3J9q2ab/books/..", "/k3J9q2ab/books/%2e%2e",
        "/k3J9q2ab/books/%2E%2E", "/k3J9q2ab/books/../../etc/passwd", "/k3J9q2ab/books/..%2f..%2fetc%2fpasswd",
        "/k3J9q2ab/books/%2fetc%2fpasswd", "/k3J9q2ab/books/", "/k3J9q2ab/books/a%00.epub", "/k3J9q2ab/books/a\\b",
        "/k3J9q2ab/books/a/b.epub", "/k3J9q2ab/nothing", "/k3J9q2ab//", "/%6b3J9q2ab/"})
    CHECK_FALSE(parse_route(refused, token));
  // --open: no token at all
  CHECK(parse_route("/", "")->kind == RouteKind::page);
  CHECK(parse_route("/books/a.epub", "")->book == "a.epub");
  CHECK_FALSE(parse_route("/k3J9q2ab/", ""));
}

TEST_CASE("serve::route_path, read back by parse_route") {
  for (const std::string& name : {k_chinese_name, std::string("a b#?%.epub"), std::string("x+y.epub")}) {
    const auto route = parse_route(route_path("k3J9q2ab", RouteKind::book, name), "k3J9q2ab");
    REQUIRE(route);
    CHECK(route->book == name);
  }
  CHECK(route_path("", RouteKind::feed) == "/opds.xml");
  CHECK(base_url("192.168.1.23", 8765, "k3J9q2ab") == "http://192.168.1.23:8765/k3J9q2ab/");
  CHECK(base_url("fe80::1", 80, "") == "http://[fe80::1]:80/");
}

TEST_CASE("serve::make_token, random letters and digits that cannot be misread") {
  const std::string a = make_token(), b = make_token();
  CHECK(a.size() == k_token_length);
  CHECK(a != b);
  CHECK(a.find_first_not_of("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") == std::string::npos);
}

TEST_CASE("serve::read_book_info, from the package document and the cover") {
  auto info = read_book_info(bytes_of(sample_book()));
  REQUIRE(info);
  CHECK(info->title == "山间小记");
  CHECK(info->authors == std::vector<std::string>{"林小满"});
  CHECK(info->language == "zh-CN");
  CHECK(info->description == "四季的茶。");
  CHECK(info->identifier.starts_with("urn:uuid:"));
  CHECK(info->modified == "2023-11-14T22:13:20Z");
  CHECK(info->cover_type == "image/jpeg");
  auto thumbnail = probe_image(info->thumbnail);
  REQUIRE(thumbnail);
  CHECK(thumbnail->width <= k_thumbnail_width);
  CHECK(thumbnail->height <= k_thumbnail_height);
  CHECK(info->thumbnail.size() < info->cover.size());
  CHECK_FALSE(read_book_info("not a zip"));
}

TEST_CASE("serve::BookCatalog, named books and folders, looked at again on every call") {
  TempDir dir;
  const std::string book = bytes_of(sample_book());
  const fs::path folder = dir.path() / "books";
  fs::create_directories(folder);
  write_file_atomically(folder / "a.epub", book, false).value();
  write_file_atomically(folder / "broken.epub", "not a book", false).value();
  write_file_atomically(folder / "notes.txt", "text", false).value();
  write_file_atomically(dir.path() / "outside.epub", book, false).value();
  write_file_atomically(dir.path() / "a.epub", book, false).value();
  fs::create_symlink(dir.path() / "outside.epub", folder / "link.epub");
  std::vector<std::string> notes;
  auto catalog = BookCatalog::open({dir.path() / "a.epub", folder}, [&](const std::string& n) { notes.push_back(n); });
  REQUIRE(catalog);
  const auto names = [&] {
    std::vector<std::string> out;
    for (const ServedBook& b : (*catalog)->books()) out.push_back(b.name);
    return out;
  };
  // The named a.epub first; the folder's own a.epub gets a name of its own; the symlink leading
  // out of the folder, the broken book and the text file are not served.
  CHECK(names() == std::vector<std::string>{"a.epub", "a (2).epub"});
  CHECK(notes.size() == 1);
  CHECK(notes.front().find("broken.epub: not served") != std::string::npos);
  write_file_atomically(folder / "new.epub", book, false).value();
  CHECK(names() == std::vector<std::string>{"a.epub", "a (2).epub", "new.epub"});
  CHECK((*catalog)->find("new.epub"));
  CHECK_FALSE((*catalog)->find("link.epub"));
  CHECK(notes.size() == 1);  // said once

  SECTION("what cannot be served is an error that says so") {
    auto not_epub = BookCatalog::open({folder / "notes.txt"});
    REQUIRE_FALSE(not_epub);
    CHECK(not_epub.error().message.find("notes.txt: not an EPUB") != std::string::npos);
    auto missing = BookCatalog::open({dir.path() / "missing.epub"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("no such file or folder") != std::string::npos);
    fs::create_directories(dir.path() / "empty");
    auto empty = BookCatalog::open({dir.path() / "empty"});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message.starts_with("no book to serve"));
  }
}

TEST_CASE("serve::opds_feed, an OPDS 1.2 acquisition feed") {
  auto catalog = BookCatalog::open({sample_book()});
  REQUIRE(catalog);
  const std::string xml = opds_feed((*catalog)->books(), "k3J9q2ab", "urn:uuid:00000000-0000-8000-8000-000000000000");
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(xml.data(), xml.size()) == tinyxml2::XML_SUCCESS);
  tinyxml2::XMLElement* feed = doc.RootElement();
  CHECK(std::string(feed->Attribute("xmlns")) == "http://www.w3.org/2005/Atom");
  for (const char* required : {"id", "title", "updated", "author"}) CHECK(child(feed, required));
  tinyxml2::XMLElement* self = child(feed, "link");
  REQUIRE(self);
  CHECK(std::string(self->Attribute("rel")) == "self");
  CHECK(std::string(self->Attribute("type")) == k_acquisition_feed_type);
  tinyxml2::XMLElement* entry = child(feed, "entry");
  REQUIRE(entry);
  CHECK(std::string(child(entry, "title")->GetText()) == "山间小记");
  CHECK(std::string(child(child(entry, "author"), "name")->GetText()) == "林小满");
  CHECK(std::string(child(entry, "dc:language")->GetText()) == "zh-CN");
  CHECK(std::string(child(entry, "summary")->GetText()) == "四季的茶。");
  CHECK(std::string(child(entry, "updated")->GetText()) == "2023-11-14T22:13:20Z");
  std::map<std::string, std::string> links;
  for (auto* link = child(entry, "link"); link; link = link->NextSiblingElement("link"))
    links[link->Attribute("rel")] = std::string(link->Attribute("href")) + " " + link->Attribute("type");
  const std::string encoded = percent_encode(k_chinese_name);
  CHECK(links["http://opds-spec.org/acquisition"] == "/k3J9q2ab/books/" + encoded + " application/epub+zip");
  CHECK(links["http://opds-spec.org/image"] == "/k3J9q2ab/covers/" + encoded + " image/jpeg");
  CHECK(links["http://opds-spec.org/image/thumbnail"] == "/k3J9q2ab/thumbnails/" + encoded + " image/jpeg");
}

TEST_CASE("serve::phone_page, language, headings, alt text and links") {
  auto catalog = BookCatalog::open({sample_book()});
  REQUIRE(catalog);
  const std::string page = phone_page((*catalog)->books(), "k3J9q2ab");
  CHECK(page.find("<html lang=\"zh-Hans\">") != std::string::npos);
  CHECK(page.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != std::string::npos);
  CHECK(page.find("<h1>") != std::string::npos);
  CHECK(page.find("<h2>山间小记</h2>") != std::string::npos);
  CHECK(page.find("alt=\"封面：山间小记\"") != std::string::npos);
  CHECK(page.find("href=\"/k3J9q2ab/books/" + percent_encode(k_chinese_name) + "\" download=\"" + k_chinese_name + "\"") !=
        std::string::npos);
  CHECK(page.find("href=\"/k3J9q2ab/opds.xml\"") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(escape_html("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

TEST_CASE("serve::draw_qr_text, the matrix in half blocks with its quiet zone") {
  auto code = make_qr("http://192.168.1.23:8765/k3J9q2ab/");
  REQUIRE(code);
  CHECK(code->width >= 21);
  const std::string drawn = draw_qr_text(*code, false);
  // Back from the characters to modules: each line is two rows.
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = drawn.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(drawn.substr(start, end - start));
  const int side = code->width + 2 * k_quiet_zone;
  REQUIRE(static_cast<int>(lines.size()) == (side + 1) / 2);
  for (int row = 0; row < static_cast<int>(lines.size()); ++row) {
    std::size_t pos = 0;
    for (int x = -k_quiet_zone; x < code->width + k_quiet_zone; ++x) {
      const char32_t cell = next_code_point(lines[row], pos);
      const int y = 2 * row - k_quiet_zone;
      const bool top = cell == U'\u2580' || cell == U'\u2588', bottom = cell == U'\u2584' || cell == U'\u2588';
      CHECK(top == code->at(x, y));
      CHECK(bottom == code->at(x, y + 1));
    }
    CHECK(pos == lines[row].size());
  }
  CHECK(draw_qr_text(*code, true).starts_with("\033[30;107m"));
  auto png = probe_image(draw_qr_png(*code, 4));
  REQUIRE(png);
  CHECK(png->width == side * 4);
}

TEST_CASE("serve::lan_candidates, never loopback") {
  for (const AddressCandidate& c : lan_candidates()) CHECK_FALSE(c.address.starts_with("127."));
  CHECK(printed_address("10.1.2.3", {}) == "10.1.2.3");
  CHECK(printed_address("0.0.0.0", {{"wlan0", "192.168.1.23"}}) == "192.168.1.23");
  CHECK(printed_address("0.0.0.0", {}) == "127.0.0.1");
}

TEST_CASE("serve::BookServer, downloads, ranges and 404s on 127.0.0.1") {
  RunningServer server({sample_book()});
  httplib::Client client = server.client();
  const std::string book = bytes_of(sample_book());
  const std::string path = server.path(RouteKind::book, k_chinese_name);

  auto whole = client.Get(path.c_str());
  REQUIRE(whole);
  CHECK(whole->status == 200);
  CHECK(whole->body == book);
  CHECK(whole->get_header_value("Content-Type") == "application/epub+zip");
  // httplib's client percent-decodes header values as it reads them (curl sees them as sent:
  // tests/e2e/serve_http.sh).
  CHECK(whole->get_header_value("Content-Disposition") == percent_decode(content_disposition(k_chinese_name)));

  auto part = client.Get(path.c_str(), {{"Range", "bytes=100-1099"}});
  REQUIRE(part);
  CHECK(part->status == 206);
  CHECK(part->body == book.substr(100, 1000));
  CHECK(part->get_header_value("Content-Range") == "bytes 100-1099/" + std::to_string(book.size()));

  auto resumed = client.Get(path.c_str(), {{"Range", "bytes=1000-"}, {"If-Range", whole->get_header_value("ETag")}});
  CHECK((resumed && resumed->status == 206 && resumed->body == book.substr(1000)));
  auto changed = client.Get(path.c_str(), {{"Range", "bytes=1000-"}, {"If-Range", "\"another\""}});
  CHECK((changed && changed->status == 200 && changed->body == book));

  auto head = client.Head(path.c_str());
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->get_header_value("Content-Length") == std::to_string(book.size()));

  SECTION("hostile ranges: the whole file or 416, and the server still answers") {
    const std::string size = std::to_string(book.size());
    for (const auto& [range, status] : std::vector<std::pair<std::string, int>>{
             {"bytes=0-0,-1", 200}, {"bytes=0-,0-,0-,0-,0-", 200}, {"bytes=0-99999999999999999999", 416},
             {"bytes=" + size + "-", 416}, {"bytes=99999999999-", 416}, {"bytes=5-1", 416}, {"bytes=abc", 416},
             {"bytes=-0", 416}, {"pages=1-2", 416}, {"bytes=0-18446744073709551615", 416}}) {
      INFO(range);
      auto answer = client.Get(path.c_str(), {{"Range", range}});
      REQUIRE(answer);
      CHECK(answer->status == status);
      if (status == 200) CHECK(answer->body == book);
      if (status == 416) CHECK(answer->body.size() < 100);
    }
    std::string many = "bytes=0-1";
    for (int i = 0; i < 1000; ++i) many += ",0-" + std::to_string(i);
    auto answer = client.Get(path.c_str(), {{"Range", many}});
    CHECK((answer && answer->body.size() <= book.size()));
    CHECK(client.Get(server.path(RouteKind::page).c_str())->status == 200);
  }

  SECTION("everything else is 404 (405 for methods but GET and HEAD), and 404 text is not sliced by a Range") {
    const std::string token = server.token();
    for (const std::string& target :
         {std::string("/"), "/" + token + "x/", "/wrongtok/books/" + percent_encode(k_chinese_name),
          "/books/" + percent_encode(k_chinese_name), "/" + token + "/books/missing.epub", "/" + token + "/../",
          "/" + token + "/books/..", "/" + token + "/books/%2e%2e", "/" + token + "/books/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
          "/" + token + "/books/" + percent_encode(sample_book().string()), std::string("/etc/passwd")}) {
      INFO(target);
      auto answer = client.Get(target.c_str(), {{"Range", "bytes=0-1"}});
      REQUIRE(answer);
      CHECK(answer->status == 404);
      CHECK(answer->body == "Not found\n");
    }
    CHECK(client.Post(path.c_str(), "x", "text/plain")->status == 405);
    CHECK(client.Delete(path.c_str())->status == 405);
  }

  SECTION("the page, the feed and the images") {
    auto page = client.Get(server.path(RouteKind::page).c_str());
    CHECK((page && page->status == 200 && page->get_header_value("Content-Type") == "text/html; charset=utf-8"));
    auto feed = client.Get(server.path(RouteKind::feed).c_str());
    CHECK((feed && feed->status == 200 && feed->get_header_value("Content-Type") == k_acquisition_feed_type));
    auto cover = client.Get(server.path(RouteKind::cover, k_chinese_name).c_str());
    CHECK((cover && cover->status == 200 && cover->get_header_value("Content-Type") == "image/jpeg"));
    auto thumbnail = client.Get(server.path(RouteKind::thumbnail, k_chinese_name).c_str());
    CHECK((thumbnail && thumbnail->status == 200 && thumbnail->body.size() < cover->body.size()));
  }

  SECTION("one log line per download, none for HEAD") {
    // Each is written as its answer ends, on the connection's own thread: in any order.
    const auto log = server.log(4);
    REQUIRE(log.size() == 4);
    const auto logged = [&](const std::string& text) {
      return std::any_of(log.begin(), log.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
    };
    CHECK(logged("inkpack: 127.0.0.1 got " + k_chinese_name + ": all " + std::to_string(book.size()) + " bytes"));
    CHECK(logged(": 1000 of " + std::to_string(book.size()) + " bytes, from byte 100"));
  }
}

TEST_CASE("serve::BookServer, --open drops the token; without it the token is required") {
  ServeOptions open;
  open.open = true;
  RunningServer server({sample_book()}, open);
  CHECK(server.token().empty());
  auto answer = server.client().Get(("/books/" + percent_encode(k_chinese_name)).c_str());
  CHECK((answer && answer->status == 200));
  RunningServer secret({sample_book()});
  answer = secret.client().Get(("/books/" + percent_encode(k_chinese_name)).c_str());
  CHECK((answer && answer->status == 404));
}

TEST_CASE("serve::BookServer, --once stops after the first complete download, not a glance at the end") {
  ServeOptions once;
  once.once = true;
  RunningServer server({sample_book()}, once);
  httplib::Client client = server.client();
  const std::string path = server.path(RouteKind::book, k_chinese_name);
  const std::size_t size = bytes_of(sample_book()).size();
  REQUIRE(client.Head(path.c_str()));
  REQUIRE(client.Get(path.c_str(), {{"Range", "bytes=-100"}}));  // a reader's look at the zip's directory
  REQUIRE(client.Get(path.c_str(), {{"Range", "bytes=0-999"}}));
  CHECK_FALSE(server.stopped_within(std::chrono::seconds(0)));
  REQUIRE(client.Get(path.c_str(), {{"Range", "bytes=1000-"}}));  // the rest: a resumed download
  CHECK(server.stopped_within(std::chrono::seconds(5)));
  // Whichever of the last two answers is logged last completes the download.
  const auto log = server.log(3);
  CHECK(std::count_if(log.begin(), log.end(), [&](const std::string& line) {
          return line.ends_with(" of " + std::to_string(size) + " bytes, from byte 0: the download is complete") ||
                 line.ends_with(" of " + std::to_string(size) + " bytes, from byte 1000: the download is complete");
        }) == 1);
}

TEST_CASE("serve::BookServer, slow clients cannot hold the server") {
  ServeOptions quick;
  quick.limits.request = std::chrono::seconds(1);
  RunningServer server({sample_book()}, quick);
  std::vector<int> slow;
  for (int i = 0; i < 16; ++i) slow.push_back(slow_client(server.port()));  // twice the server's workers
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int fd : slow) send(fd, "x", 1, MSG_NOSIGNAL);
  const auto start = std::chrono::steady_clock::now();
  httplib::Client client = server.client();
  client.set_read_timeout(10, 0);
  auto answer = client.Get(server.path(RouteKind::page).c_str());
  CHECK((answer && answer->status == 200));
  // Two rounds of slow clients cut at their one second each, then this one.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  // Each slow connection was answered (400) and closed by the server once its time was up.
  for (int fd : slow) {
    timeval wait{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::array<char, 4096> answer;
    ssize_t got;
    while ((got = recv(fd, answer.data(), answer.size(), 0)) > 0) {}
    CHECK((got == 0 || errno == ECONNRESET));
    close(fd);
  }
}

TEST_CASE("serve::BookServer, a request of endless headers is cut at its size limit") {
  RunningServer server({sample_book()});
  const int fd = slow_client(server.port());
  const std::string header = "x\r\nX-More: " + std::string(1000, 'x');
  std::size_t sent = 0;
  while (sent < 10'000'000 && send(fd, header.data(), header.size(), MSG_NOSIGNAL) > 0) sent += header.size();
  CHECK(sent < 10'000'000);  // the server closed the connection long before
  close(fd);
  CHECK(server.client().Get(server.path(RouteKind::page).c_str())->status == 200);
}

TEST_CASE("serve::BookServer::start, a port in use says so and suggests --port") {
  RunningServer first({sample_book()});
  auto catalog = BookCatalog::open({sample_book()});
  REQUIRE(catalog);
  ServeOptions same;
  same.bind = "127.0.0.1";
  same.port = first.port();
  auto second = BookServer::start(std::move(*catalog), same, {});
  REQUIRE_FALSE(second);
  CHECK(second.error().message.find("port " + std::to_string(first.port()) + " is in use") != std::string::npos);
  CHECK(second.error().message.find("--port") != std::string::npos);
  catalog = BookCatalog::open({sample_book()});
  same.bind = "192.0.2.1";  // TEST-NET-1: no computer's own
  same.port = 0;
  auto elsewhere = BookServer::start(std::move(*catalog), same, {});
  REQUIRE_FALSE(elsewhere);
  CHECK(elsewhere.error().message.find("not an address of this computer") != std::string::npos);
}

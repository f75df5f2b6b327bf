// Images end to end: fetched from a misbehaving local server, cached, shrunk for the profile.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "image/codec.hpp"
#include "image/shrink.hpp"
#include "net/image_urls.hpp"
#include "support/helpers.hpp"

using namespace inkpack;
using namespace inkpack::test;

namespace {

// Noise, so it compresses like a photograph; or flat bands, like a chart.
Pixels synthetic(int width, int height, bool photo, int channels = 3) {
  Pixels p = Pixels::allocate(width, height, channels);
  unsigned seed = 12345;
  for (std::size_t i = 0; i < p.size(); ++i) {
    seed = seed * 1103515245 + 12345;
    const bool alpha = channels == 4 && i % 4 == 3;
    p.data[i] = alpha ? 128 : photo ? static_cast<unsigned char>(seed >> 16) : static_cast<unsigned char>((i / (width * channels * 40)) * 60);
  }
  return p;
}

ImageOptions test_fetching() {
  ImageOptions images;
  images.fetch.retries = 2;
  images.fetch.backoff = std::chrono::milliseconds(50);
  images.fetch.deadline = std::chrono::seconds(5);
  images.fetch.low_speed_seconds = 1;
  images.fetch.max_bytes = 1u << 20;
  return images;
}

std::string warning_for(const std::vector<Warning>& warnings, const std::string& path) {
  for (const Warning& w : warnings)
    if (w.detail.ends_with(path)) return w.message;
  return {};
}

}  // namespace

TEST_CASE("normalize_image_url, WeChat variants and client hints") {
  const std::string url = "https://mmbiz.qpic.cn/sz_mmbiz_png/abc/640?wx_fmt=png&tp=webp&from=appmsg&wxfrom=5&wx_lazy=1&wx_co=1";
  CHECK(normalize_image_url(url, false) == "https://mmbiz.qpic.cn/sz_mmbiz_png/abc/640?wx_fmt=png");
  CHECK(normalize_image_url(url, true) == "https://mmbiz.qpic.cn/sz_mmbiz_png/abc/0?wx_fmt=png");
  CHECK(normalize_image_url("https://example.com/a.png?from=x#top", false) == "https://example.com/a.png?from=x");
}

TEST_CASE("wechat_image_format, WeChat's CDN or a mirror of its paths, and the format asked for") {
  CHECK(wechat_image_format("https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=gif&from=appmsg") == "gif");
  CHECK(wechat_image_format("https://mmbiz.qpic.cn/sz_mmbiz_jpg/abc/640") == "jpeg");
  CHECK(wechat_image_format("http://127.0.0.1:8765/mmbiz_png/abc/0") == "png");
  CHECK(wechat_image_format("https://mmbiz.qlogo.cn/abc/0") == "");
  CHECK_FALSE(wechat_image_format("https://example.com/mmbiz.png?wx_fmt=png"));
  CHECK_FALSE(wechat_image_format("https://example.com/img/mmbiz_png/a"));
}

TEST_CASE("shrink_image, fits the phone box and never enlarges") {
  const auto big = shrink_image(encode_png(synthetic(3000, 2000, true)), {});
  REQUIRE(big);
  REQUIRE(big->size() == 1);
  CHECK(big->at(0).width == 1080);
  CHECK(big->at(0).height == 720);
  CHECK(big->at(0).media_type == "image/jpeg");  // a photograph
  const auto small = shrink_image(encode_png(synthetic(300, 200, false)), {});
  REQUIRE(small);
  CHECK(small->at(0).width == 300);
  CHECK(small->at(0).media_type == "image/png");  // flat graphics stay lossless
}

TEST_CASE("shrink_image, a long infographic is kept at width and cut into page-high slices") {
  const auto parts = shrink_image(encode_png(synthetic(1242, 5724, false)), {});
  REQUIRE(parts);
  REQUIRE(parts->size() == 4);  // 1080 x 4977, in slices of 1600
  int total = 0;
  for (const EncodedImage& part : *parts) {
    CHECK(part.width == 1080);
    CHECK(part.height <= 1600);
    total += part.height;
  }
  CHECK(total == 4977);
}

// The PNG colour type (IHDR byte 25): 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
int png_colour_type(const std::string& png) { return static_cast<unsigned char>(png.at(25)); }
int png_bit_depth(const std::string& png) { return static_cast<unsigned char>(png.at(24)); }

bool same_pixels(const Pixels& a, const Pixels& b) {
  return a.width == b.width && a.height == b.height && a.channels == b.channels &&
         std::equal(a.data.get(), a.data.get() + a.size(), b.data.get());
}

TEST_CASE("encode_png, the smallest lossless form: palette, fewer bits, grey") {
  // Flat bands: 5 colours, so a 4-bit palette, decoding to exactly the same pixels.
  const Pixels bands = synthetic(300, 200, false);
  const std::string few = encode_png(bands);
  CHECK(png_colour_type(few) == 3);
  CHECK(png_bit_depth(few) == 4);
  auto back = decode_image(few);
  REQUIRE(back);
  CHECK(same_pixels(*back, bands));

  // Grey with many shades: one grey channel, not three.
  Pixels grey = Pixels::allocate(256, 64, 3);
  for (std::size_t i = 0; i < grey.size(); ++i) grey.data[i] = static_cast<unsigned char>((i / 3) % 256);
  const std::string grey_png = encode_png(grey);
  CHECK(png_colour_type(grey_png) == 0);
  back = decode_image(grey_png);
  REQUIRE(back);
  REQUIRE(back->channels == 1);
  for (int x = 0; x < 256; ++x) CHECK(back->data[x] == grey.data[x * 3]);

  // Translucent pixels keep their alpha through the palette (a tRNS chunk).
  const Pixels translucent = synthetic(64, 64, false, 4);
  const std::string translucent_png = encode_png(translucent);
  CHECK(png_colour_type(translucent_png) == 3);
  CHECK(translucent_png.find("tRNS") != std::string::npos);
  back = decode_image(translucent_png);
  REQUIRE(back);
  CHECK(same_pixels(*back, translucent));

  // A photograph has too many colours for a palette and stays RGB, still lossless.
  const Pixels photo = synthetic(64, 64, true);
  const std::string photo_png = encode_png(photo);
  CHECK(png_colour_type(photo_png) == 2);
  back = decode_image(photo_png);
  REQUIRE(back);
  CHECK(same_pixels(*back, photo));
}

TEST_CASE("shrink_image, an animated GIF: a still by default, kept when asked and it fits") {
  const std::string small = animated_gif(64, 48, 3);
  REQUIRE(is_animated_gif(small));
  CHECK_FALSE(is_animated_gif(animated_gif(64, 48, 1)));
  CHECK_FALSE(is_animated_gif(small.substr(0, 850)));  // cut inside the first frame: no crash
  CHECK_FALSE(is_animated_gif("GIF89a"));

  const auto still = shrink_image(small, {});
  REQUIRE(still);
  CHECK(still->at(0).media_type == "image/png");
  CHECK(still->at(0).note.empty());

  ImagePolicy keep;
  keep.keep_animation = true;
  const auto kept = shrink_image(small, keep);
  REQUIRE(kept);
  CHECK(kept->at(0).bytes == small);
  CHECK(kept->at(0).media_type == "image/gif");

  const std::string heavy = animated_gif(1000, 1500, 4);  // fits the screen, but about 6.7 MB
  REQUIRE(heavy.size() > k_max_image_bytes);
  const auto heavy_still = shrink_image(heavy, keep);
  REQUIRE(heavy_still);
  CHECK(heavy_still->at(0).media_type == "image/png");
  CHECK(heavy_still->at(0).note.find("over 5.0 MB") != std::string::npos);

  const auto wide = shrink_image(animated_gif(1500, 300, 2), keep);
  REQUIRE(wide);
  CHECK(wide->at(0).width == 1080);
  CHECK(wide->at(0).note.find("larger than the phone screen") != std::string::npos);
}

TEST_CASE("build_book --keep-animation, a kept animation is a GIF in a valid book: one not kept is a warning") {
  TempDir dir;
  const std::string small = animated_gif(64, 48, 3);
  dir.write("small.gif", small);
  dir.write("wide.gif", animated_gif(1500, 300, 2));
  BuildOptions options;
  options.images.policy.keep_animation = true;
  const Built book = build_markdown(dir, "# A\n\n![small](small.gif)\n\n![wide](wide.gif)\n", options);
  REQUIRE(book.doc.media.size() == 2);
  CHECK(book.doc.media[0].media_type == "image/gif");
  CHECK(book.doc.media[0].bytes == small);
  CHECK(book.doc.media[1].media_type == "image/png");
  REQUIRE(book.warnings.size() == 1);
  CHECK(book.warnings[0].message.find("kept as its first frame") != std::string::npos);
  CHECK(entry(read_epub(book.epub), "EPUB/content.opf").find("media-type=\"image/gif\"") != std::string::npos);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("build_book --max-size, images get smaller step by step until the book fits") {
  TempDir dir;
  std::string md = "# Photos\n\n";
  for (int i = 0; i < 3; ++i) {
    dir.write("p" + std::to_string(i) + ".png", encode_png(synthetic(2400, 1600, true)));
    md += "![](p" + std::to_string(i) + ".png)\n\n";
  }
  const auto size_of = [](const std::filesystem::path& p) { return std::filesystem::file_size(p); };
  const Built full = build_markdown(dir, md);
  const std::uint64_t full_size = size_of(full.epub);

  BuildOptions options;
  options.max_size = full_size / 3;
  options.inputs = {dir.path() / "article.md"};
  options.output = dir.path() / "fitted.epub";
  Diagnostics diags;
  const auto fitted = build_book(options, diags);
  REQUIRE(fitted);
  CHECK(diags.warnings().empty());
  CHECK(size_of(fitted->output) <= full_size / 3);
  CHECK(fitted->reduction.find("JPEG quality") != std::string::npos);
  check_epubcheck_clean(fitted->output);

  // Out of reach: the smallest images, a warning, and still a book.
  options.max_size = 1000;
  options.output = dir.path() / "tiny.epub";
  Diagnostics tiny_diags;
  const auto tiny = build_book(options, tiny_diags);
  REQUIRE(tiny);
  REQUIRE(tiny_diags.warnings().size() == 1);
  CHECK(tiny_diags.warnings()[0].message.find("over the limit") != std::string::npos);
  CHECK(tiny->doc.media.at(0).width == 1080 * 40 / 100);
  CHECK(std::filesystem::exists(tiny->output));
}

TEST_CASE("probe_image, an oversized Huffman table anywhere stb would read it is refused") {
  // Found by fuzz/fuzz_image.cpp: stray bytes before the table, which stb skips.
  const std::string found = read_text(source_dir() / "tests/fixtures/fuzz/jpeg-huffman-after-garbage.jpg");
  const auto refused = shrink_image(found, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("Huffman") != std::string::npos);

  // After the image data, where progressive JPEGs define the tables of later scans.
  std::string late = encode_jpeg(synthetic(32, 32, true), 80);
  REQUIRE(late.ends_with("\xFF\xD9"));
  late.insert(late.size() - 2, std::string("\xFF\xC4\x00\x13\x00", 5) + std::string(16, '\xFF'));
  CHECK_FALSE(probe_image(late));
  CHECK(probe_image(encode_jpeg(synthetic(32, 32, true), 80)));  // a sound JPEG still passes
}

TEST_CASE("build_book --max-size, JPEGs that already fit are re-encoded: a piped article is read once") {
  TempDir dir;
  std::string md = "# Photos\n\n## One\n\n";
  for (int i = 0; i < 3; ++i) {
    dir.write("p" + std::to_string(i) + ".jpg", encode_jpeg(synthetic(900, 600, true), 95));
    md += "![](p" + std::to_string(i) + ".jpg)\n\n";
  }
  const std::uint64_t full_size = std::filesystem::file_size(build_markdown(dir, md).epub);
  const auto fifo = dir.path() / "article.pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::jthread writer([&] { std::ofstream(fifo, std::ios::binary) << md; });
  BuildOptions options;
  options.max_size = full_size * 3 / 4;
  options.inputs = {fifo};
  options.output = dir.path() / "fitted.epub";
  Diagnostics diags;
  const auto fitted = build_book(options, diags);
  REQUIRE(fitted);
  CHECK(diags.warnings().empty());
  CHECK(std::filesystem::file_size(fitted->output) <= full_size * 3 / 4);
  CHECK(fitted->reduction.find("images within 1080x1600") != std::string::npos);  // quality was enough
  REQUIRE(fitted->doc.media.size() == 1);  // three identical photographs, stored once
  CHECK(fitted->doc.media[0].width == 900);
  CHECK(titles(fitted->doc) == std::vector<std::string>{"One"});
}

TEST_CASE("build_book, peak memory follows the largest image, not the number of images") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("not measured under AddressSanitizer, whose quarantine keeps freed memory resident");
  return;
#endif
  // Builds in a child process, whose peak resident memory the kernel reports on its own.
  const auto peak_kb = [](const TempDir& dir, int images) {
    std::string md = "# M\n\n";
    for (int i = 0; i < images; ++i) {
      dir.write("n" + std::to_string(i) + ".png", encode_png(synthetic(1200, 1200, true)));
      md += "![](n" + std::to_string(i) + ".png)\n\n";
    }
    const auto article = dir.write("m" + std::to_string(images) + ".md", md);
    const pid_t child = ::fork();
    if (child == 0) {
      BuildOptions options;
      options.inputs = {article};
      options.output = dir.path() / "m.epub";
      Diagnostics diags;
      ::_exit(build_book(options, diags) ? 0 : 1);
    }
    int status = 0;
    rusage usage{};
    ::wait4(child, &status, 0, &usage);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    return usage.ru_maxrss;
  };
  TempDir few_dir, many_dir;
  const long few = peak_kb(few_dir, 3), many = peak_kb(many_dir, 12);
  INFO("3 images: " << few / 1024 << " MB, 12 images: " << many / 1024 << " MB");
  // Nine more originals of 4.3 MB each, and their decoded pixels, would add well over 40 MB.
  CHECK(many - few < 25 * 1024);
}

TEST_CASE("halve, averages light, not sRGB codes") {
  Pixels checker = Pixels::allocate(5, 4, 1);  // the odd last column is dropped
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 5; ++x) checker.data[y * 5 + x] = (x + y) % 2 ? 255 : 0;
  const Pixels half = halve(checker);
  REQUIRE(half.width == 2);
  REQUIRE(half.height == 2);
  // Half the light of white is sRGB 188, not 128: a mean of codes would darken fine detail.
  for (std::size_t i = 0; i < half.size(); ++i) CHECK(std::abs(half.data[i] - 188) <= 1);
}

TEST_CASE("resize_rows, a band of the scaled image is that band of the whole: slices join without a seam") {
  const Pixels photo = synthetic(1242, 900, true);
  const Pixels whole = resize_rows(photo, 1080, 783, 0, 783);
  for (const auto& [top, rows] : {std::pair{0, 300}, std::pair{300, 300}, std::pair{600, 183}}) {
    const Pixels band = resize_rows(photo, 1080, 783, top, rows);
    const std::size_t row_bytes = 1080 * 3;
    int worst = 0;
    for (std::size_t i = 0; i < band.size(); ++i)
      worst = std::max(worst, std::abs(band.data[i] - whole.data[top * row_bytes + i]));
    INFO("band from row " << top);
    CHECK(worst <= 1);  // float rounding at most
  }
}

TEST_CASE("shrink_image, transparency stays PNG: JPEG that fits is kept byte for byte") {
  const auto transparent = shrink_image(encode_png(synthetic(2000, 1000, true, 4)), {});
  REQUIRE(transparent);
  CHECK(transparent->at(0).media_type == "image/png");
  const std::string jpeg = encode_jpeg(synthetic(800, 600, true), 90);
  const auto kept = shrink_image(jpeg, {});
  REQUIRE(kept);
  CHECK(kept->at(0).bytes == jpeg);
}

TEST_CASE("shrink_image, a photo taken sideways is turned upright by its EXIF orientation") {
  Pixels p = Pixels::allocate(40, 20, 3);
  std::fill_n(p.data.get(), p.size(), 0);
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 40; ++x) {
      unsigned char* px = &p.data[(y * 40 + x) * 3];
      px[0] = x < 20 ? 255 : 0;  // left half red, right half blue
      px[2] = x < 20 ? 0 : 255;
    }
  std::string jpeg = encode_jpeg(p, 95);
  const std::string exif = std::string("Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0", 32);
  jpeg.insert(2, std::string("\xFF\xE1\0", 3) + static_cast<char>(exif.size() + 2) + exif);
  REQUIRE(exif_orientation(jpeg) == 6);
  const auto upright = shrink_image(jpeg, {});
  REQUIRE(upright);
  CHECK(upright->at(0).width == 20);
  CHECK(upright->at(0).height == 40);
  const auto pixels = decode_image(upright->at(0).bytes);
  REQUIRE(pixels);
  CHECK(pixels->data[(5 * 20 + 10) * pixels->channels] > 200);      // top: what was the left, red
  CHECK(pixels->data[(35 * 20 + 10) * pixels->channels + 2] > 200); // bottom: blue
}

TEST_CASE("shrink_image, refuses what is not an image or is absurdly large") {
  CHECK_FALSE(shrink_image("<!DOCTYPE html><html></html>", {}));
  std::string bomb = encode_png(synthetic(8, 8, false));
  bomb.replace(16, 8, std::string("\x00\x01\x86\xA0\x00\x01\x86\xA0", 8));  // 100000 x 100000
  const auto refused = shrink_image(bomb, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("budget") != std::string::npos);
}

TEST_CASE("probe_image, a JPEG Huffman table larger than 256 entries is refused before stb sees it") {
  std::string jpeg = encode_jpeg(synthetic(64, 64, true), 80);
  const std::size_t dht = jpeg.find("\xFF\xC4");
  REQUIRE(dht != std::string::npos);
  for (std::size_t i = 0; i < 16; ++i) jpeg[dht + 5 + i] = '\xFF';  // 16 counts of 255
  const auto refused = probe_image(jpeg);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("Huffman") != std::string::npos);
  const auto header = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 24);
  CHECK_FALSE(probe_image(header));  // 2^32-1 squared must not overflow into a small number
}

TEST_CASE("embed_images, a misbehaving server: each failure handled, the book still valid") {
  TestServer server;
  std::string md = "# Web\n\n";
  for (const char* path : {"/ok.png", "/redirect.png", "/wrong-type.png", "/flaky.png", "/busy.png", "/missing.png",
                           "/slow.png", "/huge.png", "/page.png", "/corrupt.png", "/bomb.png", "/loop.png", "/ok-again.png"})
    md += std::string("![") + path + "](" + server.url(path) + ")\n\n";
  TempDir dir;
  BuildOptions options;
  options.images = test_fetching();
  const Built book = build_markdown(dir, md, options);

  for (const char* path : {"/missing.png", "/slow.png", "/huge.png", "/page.png", "/corrupt.png", "/bomb.png", "/loop.png"}) {
    INFO(path);
    CHECK_FALSE(warning_for(book.warnings, path).empty());
  }
  CHECK(warning_for(book.warnings, "/missing.png").find("HTTP 404") != std::string::npos);
  CHECK(warning_for(book.warnings, "/huge.png").find("larger than") != std::string::npos);
  CHECK(warning_for(book.warnings, "/page.png").find("HTML page") != std::string::npos);
  CHECK(warning_for(book.warnings, "/bomb.png").find("budget") != std::string::npos);
  CHECK(warning_for(book.warnings, "/slow.png").find("attempts") != std::string::npos);
  for (const char* path : {"/ok.png", "/redirect.png", "/wrong-type.png", "/flaky.png", "/busy.png", "/ok-again.png"}) {
    INFO(path);
    CHECK(warning_for(book.warnings, path).empty());
  }
  // ok, redirect, wrong-type, flaky, busy and ok-again are the same picture: stored once.
  CHECK(book.doc.media.size() == 1);

  const auto stats = server.stats();
  CHECK(stats.at("/flaky.png") == 2);   // 500, retried
  CHECK(stats.at("/busy.png") == 2);    // 429, retried after Retry-After
  CHECK(stats.at("/missing.png") == 1); // 404 is not retried
  CHECK(stats.at("/slow.png") == 3);    // timed out, retried twice
  check_epubcheck_clean(book.epub);
}

TEST_CASE("embed_images, WeChat's \"not allowed to quote\" notice is recognised, not embedded") {
  TestServer server;
  TempDir dir;
  BuildOptions options;
  options.images = test_fetching();
  options.images.cache_dir = dir.path() / "cache";
  std::string md = "# W\n\n";
  // The notice for addresses asking for different formats; a real picture uploaded twice (same
  // format, same bytes); a divider used three times under one address; a picture of its own.
  for (const char* path : {"/mmbiz_png/refused1/640?wx_fmt=png", "/mmbiz_gif/refused2/640?wx_fmt=gif",
                           "/mmbiz_png/twin1/640?wx_fmt=png", "/mmbiz_png/twin2/640?wx_fmt=png",
                           "/mmbiz_png/divider/640", "/mmbiz_png/divider/640", "/mmbiz_png/divider/640",
                           "/mmbiz_jpg/own/640?wx_fmt=jpeg"})
    md += std::string("![](") + server.url(path) + ")\n\n";
  const Built book = build_markdown(dir, md, options);
  CHECK(warning_for(book.warnings, "/mmbiz_png/refused1/640?wx_fmt=png").find("未经允许不可引用") != std::string::npos);
  CHECK(warning_for(book.warnings, "/mmbiz_gif/refused2/640?wx_fmt=gif").find("not allowed to quote") != std::string::npos);
  CHECK(book.warnings.size() == 2);
  CHECK(book.doc.media.size() == 3);  // twin (once), divider (once), own
  check_epubcheck_clean(book.epub);

  // Eight images with one format and the same bytes are the notice too; it is not kept in the
  // cache, so the next build asks again. Three are not (a banner repeated in three articles), nor
  // are size variants of one picture.
  std::string many = "# W\n\n", few = "# W\n\n";
  for (int i = 0; i < 8; ++i) many += "![](" + server.url("/mmbiz_png/refused" + std::to_string(i) + "/640") + ")\n\n";
  for (int i = 0; i < 3; ++i) few += "![](" + server.url("/mmbiz_png/twin" + std::to_string(i) + "/640") + ")\n\n";
  few += "![](" + server.url("/mmbiz_png/twin0/0") + ")\n\n";
  CHECK(build_markdown(dir, many, options).warnings.size() == 8);
  CHECK(build_markdown(dir, many, options).warnings.size() == 8);
  CHECK(server.stats().at("/mmbiz_png/refused3/640") == 2);
  const Built kept = build_markdown(dir, few, options);
  CHECK(kept.warnings.empty());
  CHECK(kept.doc.media.size() == 1);
}

TEST_CASE("embed_images, a hostile server: every trick bounded in time, reported, the book still valid") {
  TestServer server;
  const char* const paths[] = {"/endless.png", "/drip.png", "/liar.png", "/gzip-bomb.png",
                               "/to-file.png", "/to-ftp.png", "/reset.png"};
  std::string md = "# Hostile\n\n![fine](" + server.url("/ok.png") + ")\n\n";
  for (const char* path : paths) md += std::string("![") + path + "](" + server.url(path) + ")\n\n";
  TempDir dir;
  BuildOptions options;
  options.images = test_fetching();
  options.images.fetch.retries = 1;
  const auto start = std::chrono::steady_clock::now();
  const Built book = build_markdown(dir, md, options);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));  // loose: CI machines are busy
  for (const char* path : paths) {
    INFO(path);
    CHECK_FALSE(warning_for(book.warnings, path).empty());
  }
  CHECK(warning_for(book.warnings, "/endless.png").find("larger than 1 MB") != std::string::npos);
  CHECK(warning_for(book.warnings, "/gzip-bomb.png").find("larger than 1 MB") != std::string::npos);
  CHECK(warning_for(book.warnings, "/to-file.png").find("HTTP 302") == std::string::npos);  // refused, not followed
  CHECK(warning_for(book.warnings, "/ok.png").empty());
  REQUIRE(book.doc.media.size() == 1);
  check_epubcheck_clean(book.epub);
}

TEST_CASE("embed_images, real sockets: silence and a trickle end at the deadline: a refused port and an "
          "unresolvable host fail once", "[net]") {
  TestServer server;
  // A port nobody listens on: bound, then let go.
  const int closed = [] {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    bind(s, reinterpret_cast<sockaddr*>(&address), size);
    getsockname(s, reinterpret_cast<sockaddr*>(&address), &size);
    close(s);
    return static_cast<int>(ntohs(address.sin_port));
  }();
  const std::string refused = "127.0.0.1:" + std::to_string(closed);
  std::string md = "# Bounds\n\n![](" + server.url("/ok.png") + ")\n\n![](" + server.url("/silent.png") + ")\n\n![](" +
                   server.url("/trickle.png") + ")\n\n";
  for (int i = 0; i < 20; ++i)
    md += "![](http://" + refused + "/" + std::to_string(i) + ".png)\n\n![](http://nowhere.invalid/" +
          std::to_string(i) + ".png)\n\n";
  TempDir dir;
  BuildOptions options;
  options.images.fetch.deadline = std::chrono::seconds(2);
  // Timed to the last image done: the rest of the book (fonts, zip) is not the network's.
  std::chrono::steady_clock::time_point start, images_done;
  options.images.progress = [&](const ImageProgress& p) {
    if (p.done == 0) start = std::chrono::steady_clock::now();
    if (p.done == p.total) images_done = std::chrono::steady_clock::now();
  };
  const Built book = build_markdown(dir, md, options);

  CHECK(images_done - start < std::chrono::seconds(3));  // the deadline and a second
  CHECK(warning_for(book.warnings, "/silent.png") == "image not included (no complete answer within the --timeout deadline of 2 s)");
  CHECK(warning_for(book.warnings, "/trickle.png") == "image not included (no complete answer within the --timeout deadline of 2 s)");
  REQUIRE(book.warnings.size() == 4);
  CHECK(book.warnings[2].message ==
        "could not connect to " + refused + ": 20 images not included (no network? --offline builds from the download "
        "cache without trying)");
  CHECK(book.warnings[3].message.starts_with("could not resolve nowhere.invalid: 20 images not included"));
  const auto stats = server.stats();
  CHECK(stats.at("/silent.png") == 1);  // the deadline was spent: no retry
  CHECK(stats.at("/trickle.png") == 1);
}

TEST_CASE("embed_images, the progress count reaches the total: cached, failed and local images count") {
  TestServer server;
  TempDir dir;
  dir.write("local.png", encode_png(synthetic(20, 20, false)));
  const std::string md = "# P\n\n![](" + server.url("/ok.png") + ")\n\n![](" + server.url("/missing.png") +
                         ")\n\n![](local.png)\n\n![](no-such.png)\n";
  BuildOptions options;
  options.images = test_fetching();
  options.images.cache_dir = dir.path() / "cache";
  ImageProgress last;
  std::size_t calls = 0;
  options.images.progress = [&](const ImageProgress& p) {
    last = p;
    ++calls;
  };
  build_markdown(dir, md, options);
  CHECK(last.total == 4);
  CHECK(last.done == 4);
  calls = 0;
  build_markdown(dir, md, options);  // now /ok.png comes shrunk from the cache
  CHECK(calls == 5);                 // once before any image is done, then once for each
  CHECK(last.done == last.total);
}

TEST_CASE("embed_images, the download cache makes a rebuild need no network") {
  TestServer server;
  TempDir dir;
  BuildOptions options;
  options.images = test_fetching();
  options.images.cache_dir = dir.path() / "cache";
  const std::string md = "# C\n\n![](" + server.url("/etag.png") + ")\n\n![](" + server.url("/ok.png") + ")\n";
  build_markdown(dir, md, options);
  const Built again = build_markdown(dir, md, options);
  CHECK(again.doc.media.size() == 1);
  CHECK(server.stats().at("/etag.png") == 1);

  options.images.offline = true;
  const Built offline = build_markdown(dir, md + "\n![](" + server.url("/flaky.png") + ")\n", options);
  CHECK(offline.doc.media.size() == 1);
  CHECK(warning_for(offline.warnings, "/flaky.png").find("--offline") != std::string::npos);
  CHECK(server.stats().count("/flaky.png") == 0);

  // A damaged cached body is forgotten and downloaded again, not reported forever.
  options.images.offline = false;
  for (const auto& file : std::filesystem::recursive_directory_iterator(dir.path() / "cache" / "http"))
    if (file.path().extension() == ".body") std::ofstream(file.path(), std::ios::trunc) << "damaged";
  std::filesystem::remove_all(dir.path() / "cache" / "derived");
  const Built healed = build_markdown(dir, md, options);
  CHECK(healed.warnings.empty());
  CHECK(server.stats().at("/etag.png") == 2);
}

TEST_CASE("build_book, an unusable download cache is one warning naming it, however many images miss it") {
  TempDir dir;
  const std::string file = dir.write("cache-file", "not a folder").string();
  std::string md = "# C\n\n";
  for (int i = 0; i < 5; ++i) md += "![](http://127.0.0.1:9/" + std::to_string(i) + ".png)\n\n";
  for (const std::string& cache : {file, file + "/under-a-file"}) {
    INFO(cache);
    BuildOptions options;
    options.images.offline = true;
    options.images.cache_dir = cache;
    options.max_size = 1;  // every reduction step tried: still said once
    const Built book = build_markdown(dir, md, options);
    std::vector<std::string> about_cache;
    for (const Warning& w : book.warnings)
      if (w.where == cache) about_cache.push_back(w.message);
    REQUIRE(about_cache.size() == 1);
    CHECK_THAT(about_cache[0], Catch::StartsWith("the download cache ") && Catch::Contains("--cache DIR"));
  }
  BuildOptions usable;
  usable.images.offline = true;
  usable.images.cache_dir = dir.path() / "new" / "cache";  // created, not a problem
  const Built fine = build_markdown(dir, md, usable);
  CHECK(std::none_of(fine.warnings.begin(), fine.warnings.end(),
                     [&](const Warning& w) { return w.where == usable.images.cache_dir->string(); }));
  CHECK(std::filesystem::is_directory(*usable.images.cache_dir));
}

TEST_CASE("embed_images, a 304 nobody asked for is a failure, not a crash") {
  TestServer server;
  TempDir dir;
  BuildOptions options;
  options.images = test_fetching();
  const Built book = build_markdown(dir, "![](" + server.url("/always-304.png") + ")\n", options);
  CHECK(warning_for(book.warnings, "/always-304.png").find("HTTP 304") != std::string::npos);
}

#include "cli/options.hpp"

namespace inkpack::cli {
namespace {

// CLI11's own words, said as inkpack's, with where to look next.
std::string failure_message(const CLI::App*, const CLI::Error& e) {
  return "inkpack: error: " + std::string(e.what()) + " (inkpack --help lists the options)\n";
}

// --max-size: a size with a unit, more than nothing. CLI11's converter alone takes "-5MB" for a
// huge number and reports an overflow, and takes 0 for a limit.
std::string byte_size(std::string& value) {
  const std::string given = value;
  const std::string advice = ": give a size such as 45MB";
  bool size = !value.empty() && value.front() >= '0' && value.front() <= '9';
  try {
    size = size && CLI::AsSizeValue(true)(value).empty();
  } catch (const CLI::ValidationError&) {
    size = false;
  }
  if (!size) return given + " is not a size a book can have" + advice;
  if (value == "0") return given + " leaves no room for a book" + advice;
  return {};
}

}  // namespace

namespace {

// `inkpack serve BOOK…` and `inkpack ARTICLE… --serve` share the options, given before or after
// the subcommand (fallthrough).
void setup_serving(CLI::App& app, Options& options) {
  ServeOptions& serving = options.serving;
  options.serve = app.add_subcommand(
      "serve", "send books to a phone: serve EPUB files (and the .epub files in folders) on the local network, "
               "with a QR code of the address (--port, --bind, --open, --once, --qr-png: see inkpack --help)");
  options.serve->add_option("BOOK", options.serve_books, "EPUB files, or folders of them")->check(CLI::ExistingPath);
  options.serve->fallthrough();
  app.add_flag("--serve", options.build_then_serve, "once the book is built, serve it as `inkpack serve` does");
  options.serving_options = {
      app.add_option("--port", serving.port, "with serve: the port to listen on (0: any free one)")
          ->check(CLI::Range(0, 65535))->capture_default_str(),
      app.add_option("--bind", serving.bind, "with serve: the address to listen on (default: all of this computer's)"),
      app.add_flag("--open", serving.open, "with serve: no secret token in the address (a trusted network)"),
      app.add_flag("--once", serving.once, "with serve: stop after the first complete download"),
      app.add_option("--qr-png", options.qr_png, "with serve: also write the address's QR code to this PNG file")};
}

}  // namespace

void setup(CLI::App& app, Options& options) {
  BuildOptions& build = options.build;
  app.description(
      "inkpack turns articles (Markdown, WeChat exports, saved web pages) into an EPUB 3 book.\n"
      "inkpack --sample builds its own sample article.");
  app.failure_message(failure_message);
  // Not checked here: a missing article is unreadable input (exit 1), said by the library.
  CLI::Option* inputs = app.add_option(
      "INPUT", build.inputs,
      "articles: Markdown files, saved HTML pages, http(s) addresses or - (standard input), in reading order");
  app.add_flag("--allow-outside-articles", build.allow_outside_articles,
               "let a manifest (book.yaml) list files outside its own folder (refused by default: a manifest from "
               "elsewhere could read any file into the book)");
  app.add_flag("--sample", build.sample, "build inkpack's own sample article (built in) instead of INPUT")->excludes(inputs);
  app.add_option("-o,--output", build.output,
                 "where to write the book: a file, a folder (ending in /) or - for standard output (default: dist/<title>.epub)");
  app.add_option("--title", build.title, "book title (default: the article's own)");
  app.add_option("--author", build.author, "author (default: from front matter)");
  app.add_option("--lang", build.language, "language tag, e.g. zh-CN or en (default: detected)");
  app.add_option("--sections", build.sections,
                 "section titles to split at (repeat, or separate with ','), or one /regex/; "
                 "replaces detection")
      ->allow_extra_args(false);
  app.add_option("--templates", build.templates, "directory of templates overriding the built-in ones")
      ->check(CLI::ExistingDirectory);
  app.add_option("--css", build.css, "a stylesheet of your own, appended to the book's")->check(CLI::ExistingFile);
  app.add_option("--font", build.font,
                 "font to embed, only the characters the book uses: " + font_names() + ", a .ttf/.otf/.ttc file, or none")
      ->capture_default_str();
  app.add_option("--cover", build.cover, "cover picture (default: one is typeset from the title, author and account)")
      ->check(CLI::ExistingFile);
  ImageOptions& images = build.images;
  const CLI::Validator known_profile(
      [](std::string& name) { return find_profile(name) ? std::string() : name + " is not one of " + profile_names(); },
      "PROFILE");
  app.add_option_function<std::string>(
         "--profile", [&images](const std::string& name) { images.policy.profile = *find_profile(name); },
         "the screen to make the book for: image size, grey images for e-ink, cover size (" + profile_names() + ")")
      ->check(known_profile)
      ->default_str(images.policy.profile.name);
  app.add_option("-j,--jobs", images.fetch.jobs, "downloads at once")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option_function<int>(
         "--timeout", [&images](int seconds) { images.fetch.deadline = std::chrono::seconds(seconds); },
         "seconds one image may take to download, every attempt included")
      ->check(CLI::Range(1, 3600))
      ->default_str(std::to_string(k_default_fetch_deadline.count()));
  app.add_option("--cache", images.cache_dir, "download cache directory (default: $XDG_CACHE_HOME/inkpack)");
  app.add_flag("--no-cache", options.no_cache, "neither read nor write the download cache")->excludes("--cache");
  app.add_flag("--offline", images.offline, "download nothing: images come from the cache or stay out");
  app.add_flag("--originals", images.originals, "WeChat images: fetch full-size originals, not the 640-wide copies");
  app.add_option("--jpeg-quality", images.policy.jpeg_quality, "quality of re-encoded photographs")
      ->check(CLI::Range(30, 100))->capture_default_str();
  app.add_option("--max-size", build.max_size,
                 "lower image quality step by step until the book fits, e.g. 45MB (Send to Kindle takes 50MB)")
      ->transform(CLI::Validator(byte_size, "SIZE"));
  app.add_flag("--keep-animation", images.policy.keep_animation,
               "keep animated GIFs that fit the screen and stay under 5 MB (default: a still of the first frame)");
  app.add_flag("--keep-extras", build.keep_extras,
               "keep what is not the article: backup-site navigation, bylines, recommended reading, follow prompts");
  app.add_flag("--print-outline", options.print_outline, "print the outline (title and sections) and stop");
  app.add_flag("--explain", options.explain,
               "with --print-outline: say why each candidate line was or was not taken as a title, and what was left out")
      ->needs("--print-outline");
  app.add_flag("--strict", build.strict, "fail, writing nothing, if anything had to be left out or repaired");
  app.add_flag("-q,--quiet", options.quiet, "print errors only");
  app.add_flag("-v,--verbose", options.verbose, "also print the outline and each file of the book");
  options.check = app.add_subcommand(
      "check", "check an EPUB against Send to Kindle's and Kobo's rules (every build does this too)");
  // Not checked here: a missing book is reported with the others' verdicts (exit 1).
  options.check->add_option("BOOK", options.check_books, "the EPUB files")->required();
  options.check->fallthrough();  // `inkpack check -v BOOK`: -v lists every problem, -q only failures
  setup_serving(app, options);
  app.set_version_flag("--version", std::string("inkpack ") + INKPACK_VERSION);
}

namespace {

std::string serving_problem(const Options& options) {
  const bool serving = *options.serve || options.build_then_serve;
  for (const CLI::Option* option : options.serving_options)
    if (!serving && option->count() > 0)
      return option->get_name() + " goes with serving: inkpack serve BOOK.epub " + option->get_name() +
             " …, or inkpack ARTICLE --serve " + option->get_name() + " …";
  if (*options.serve && options.serve_books.empty())
    return "serve: no book given: name EPUB files or folders holding them (inkpack serve BOOK.epub)";
  if (options.build_then_serve && options.build.output && options.build.output->string() == k_standard_stream)
    return "--serve serves the book from a file: -o - writes it to standard output instead";
  if (options.build_then_serve && options.print_outline) return "--serve and --print-outline: the outline builds no book to serve";
  return {};
}

}  // namespace

Expected<void> check_command_line(const Options& options) {
  if (const std::string problem = serving_problem(options); !problem.empty()) return fail(problem, ErrorKind::usage);
  if (options.build.output && options.build.output->empty())
    return fail("-o \"\": an empty path names no file: give a file such as book.epub, a folder ending in /, "
                "or - for standard output",
                ErrorKind::usage);
  if (*options.check || *options.serve || options.build.sample || !options.build.inputs.empty()) return {};
  return fail("no article given: name one or more (Markdown, saved HTML, http(s) links or a book.yaml), "
              "or pass --sample for the built-in sample article (inkpack --help lists the options)",
              ErrorKind::usage);
}

}  // namespace inkpack::cli

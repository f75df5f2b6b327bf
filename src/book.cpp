#include "book.hpp"

#include <array>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "check/preflight.hpp"
#include "epub/package_writer.hpp"
#include "epub/zip_writer.hpp"
#include "input/articles.hpp"
#include "limits.hpp"
#include "net/cache.hpp"
#include "package/assemble.hpp"
#include "read/reader.hpp"
#include "transform/metadata.hpp"
#include "transform/passes.hpp"
#include "model/labels.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

std::int64_t build_time(const BuildOptions& options) {
  if (options.timestamp) return *options.timestamp;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

// In a book of several articles, each article is a chapter and its sections are entries under
// it. The article's opening text belongs to its chapter; without one, the chapter is its title.
void nest_under_title(Document& doc, const std::string& fallback_title) {
  const std::string title = doc.meta.title.empty() ? fallback_title : doc.meta.title;
  const bool untitled_start = !doc.sections.empty() && (doc.sections.front().role == SectionRole::opening ||
                                                         doc.sections.front().role == SectionRole::article);
  for (Section& section : doc.sections) ++section.depth;
  if (untitled_start) {
    doc.sections.front().title = title;
    doc.sections.front().depth = 1;
    doc.sections.front().role = SectionRole::article;
  } else {
    doc.sections.insert(doc.sections.begin(), Section{.title = title, .role = SectionRole::article});
  }
}

// The book's metadata: the first article's; authors and contributors of all articles; a
// publisher only when all articles share it.
void merge_metadata(Metadata& book, const Metadata& article, bool first) {
  if (first) {
    book = article;
    return;
  }
  for (const std::string& author : article.authors)
    if (std::find(book.authors.begin(), book.authors.end(), author) == book.authors.end()) book.authors.push_back(author);
  for (const Contributor& c : article.contributors)
    if (std::find(book.contributors.begin(), book.contributors.end(), c) == book.contributors.end()) book.contributors.push_back(c);
  if (book.publisher != article.publisher) book.publisher.clear();
  book.source.clear();  // each article has its own
}

// The manifest's say over the book's metadata, field by field where it says anything.
void overlay(Metadata& book, const Metadata& manifest) {
  for (auto field : {&Metadata::title, &Metadata::language, &Metadata::date, &Metadata::description,
                     &Metadata::publisher, &Metadata::source})
    if (!(manifest.*field).empty()) book.*field = manifest.*field;
  if (!manifest.authors.empty()) book.authors = manifest.authors;
  if (!manifest.tags.empty()) book.tags = manifest.tags;
}

// A document with its text shaped and its image references known, but no image fetched yet.
struct Prepared {
  Document doc;
  std::vector<ImageSource> image_sources;  // one per section
  std::vector<InputFile> files_read;       // the manifest and the articles
};

// Said once, before anything is fetched: an unusable cache otherwise only shows as every image
// "not in the cache" with --offline, or as downloads that are never kept.
void check_cache(const ImageOptions& images, Diagnostics& diags) {
  if (!images.cache_dir) return;
  if (const auto problem = DiskCache(*images.cache_dir).problem())
    diags.warn(images.cache_dir->string(),
               "the download cache " + *problem + ": nothing is kept or found in it (--offline has nothing to use); "
               "fix it, or give another folder with --cache DIR");
}

// The options every article's passes get, checked.
Expected<ArticleOptions> article_options(const BuildOptions& options) {
  auto sections = parse_section_override(options.sections);
  if (!sections) return std::unexpected(sections.error());
  if (!options.language.empty() && !is_language_tag(options.language))
    return fail("--lang " + options.language + ": not a language tag; give one such as zh-CN or en", ErrorKind::usage);
  return ArticleOptions{options.keep_extras, options.language, std::move(*sections)};
}

// The book's title and people: the articles', then the manifest's, then the command line's.
void settle_metadata(Metadata& meta, const Inputs& inputs, const BuildOptions& options, Diagnostics& diags) {
  overlay(meta, inputs.manifest_meta);
  if (!options.title.empty()) meta.title = options.title;
  if (!options.author.empty()) meta.authors = {options.author};
  clean_metadata(meta, "command line", diags);
  if (meta.title.empty()) meta.title = inputs.fallback_title;
  if (meta.title.empty()) meta.title = label(meta.language, Label::untitled);
}

Expected<Prepared> prepare_document(const BuildOptions& options, Diagnostics& diags) {
  check_cache(options.images, diags);
  auto inputs = gather_inputs({options.inputs, options.sample, options.allow_outside_articles}, options.images, diags);
  if (!inputs) return std::unexpected(inputs.error());
  const auto article_opts = article_options(options);
  if (!article_opts) return std::unexpected(article_opts.error());

  Document book;
  std::string all_bytes;
  std::vector<ImageSource> image_sources;  // one per section
  const bool several = inputs->articles.size() > 1;
  for (std::size_t i = 0; i < inputs->articles.size(); ++i) {
    const Article& article = inputs->articles[i];
    all_bytes += article.bytes;
    const bool html = reads_as_html(article.bytes, article.name, article.html);
    auto read = read_article(article.bytes, article.name, html, diags);
    if (!read) return std::unexpected(read.error());
    Document& doc = *read;
    ArticleWork work{doc, article.name, html, *article_opts, diags};
    run_article_passes(work);
    if (several) nest_under_title(doc, fs::path(article.name).stem().string());
    merge_metadata(book.meta, doc.meta, i == 0);
    for (Section& section : doc.sections) {
      if (several) section.language = doc.meta.language;
      book.sections.push_back(std::move(section));
      image_sources.push_back({article.loader, article.name});
    }
  }

  settle_metadata(book.meta, *inputs, options, diags);
  // An article with nothing but a title still makes a book a reading system can open.
  if (book.sections.empty()) {
    book.sections.push_back(Section{.title = book.meta.title, .role = SectionRole::article});
    image_sources.push_back({});
  }
  book.meta.identifier = identifier_for(all_bytes);
  for (Section& section : book.sections)
    if (section.title.empty()) section.title = book.meta.title;
  run_book_passes(book);
  return Prepared{std::move(book), std::move(image_sources), std::move(inputs->files_read)};
}

}  // namespace

Expected<Document> load_document(const BuildOptions& options, Diagnostics& diags, ImageReport* report) {
  auto prepared = prepare_document(options, diags);
  if (!prepared) return std::unexpected(prepared.error());
  if (options.embed_images) {
    const ImageReport images = embed_images(prepared->doc, prepared->image_sources, options.images, diags);
    if (report) *report = images;
  }
  return std::move(prepared->doc);
}

Expected<std::string> write_epub(const Document& doc, const BuildOptions& options, Diagnostics& diags,
                                 std::vector<InputFile>* files_read) {
  const PackageOptions package{options.templates, options.font, options.css, options.cover,
                               options.images.policy, build_time(options)};
  auto entries = assemble_package(doc, package, diags, files_read);
  if (!entries) return std::unexpected(entries.error());
  return zip_entries(*entries, static_cast<std::time_t>(package.modified));
}

namespace {

struct Book {
  Document doc;
  std::string bytes;
  ImageReport images;
  std::vector<InputFile> files_read;  ///< every file the book was made from
};

// The book of a prepared document, its images made with `images`.
Expected<Book> assemble(Document doc, const Prepared& prepared, const BuildOptions& options, const ImageOptions& images,
                        Diagnostics& diags) {
  Book book{std::move(doc), {}, {}, prepared.files_read};
  if (options.embed_images) book.images = embed_images(book.doc, prepared.image_sources, images, diags);
  auto bytes = write_epub(book.doc, options, diags, &book.files_read);
  if (!bytes) return std::unexpected(bytes.error());
  book.bytes = std::move(*bytes);
  book.files_read.insert(book.files_read.end(), book.images.files_read.begin(), book.images.files_read.end());
  return book;
}

Expected<Book> make_book(const BuildOptions& options, Diagnostics& diags) {
  auto prepared = prepare_document(options, diags);
  if (!prepared) return std::unexpected(prepared.error());
  return assemble(std::move(prepared->doc), *prepared, options, options.images, diags);
}

// The steps --max-size takes after the first build: JPEG quality first (cheap for the eye),
// then the size of the box.
struct Reduction {
  int jpeg_quality;  ///< at most this
  int box_percent;   ///< of the profile's box
};
constexpr std::array<Reduction, 8> k_reductions{
    {{65, 100}, {50, 100}, {40, 100}, {30, 100}, {30, 85}, {30, 70}, {30, 55}, {30, 40}}};

ImageOptions reduced(ImageOptions images, const Reduction& step) {
  ImagePolicy& policy = images.policy;
  policy.jpeg_quality = std::min(policy.jpeg_quality, step.jpeg_quality);
  policy.profile.width = std::max(1, policy.profile.width * step.box_percent / 100);
  policy.profile.height = std::max(1, policy.profile.height * step.box_percent / 100);
  policy.recompress_jpeg = true;  // a JPEG that fits is re-encoded too, when that is smaller
  return images;
}

// Builds with ever smaller images until the book fits; if none fits, keeps the smallest (a
// flat graphic scaled down can grow: smoothed edges add colours). The text is read once — an
// input may be a pipe — and only the images are redone. An attempt that lost more images than
// the first (a download failing on a retry) is not a candidate. Each attempt's image warnings
// are held back and only the kept attempt's passed on, so none is reported twice.
Expected<Book> make_book_within(const BuildOptions& options, std::uint64_t limit, Diagnostics& diags,
                                std::string& reduction) {
  auto prepared = prepare_document(options, diags);
  if (!prepared) return std::unexpected(prepared.error());
  std::optional<Book> best;
  std::vector<Warning> best_warnings;
  std::size_t first_failed = 0;
  for (std::size_t step = 0; step <= k_reductions.size(); ++step) {
    const ImageOptions images = step == 0 ? options.images : reduced(options.images, k_reductions[step - 1]);
    Diagnostics held;
    auto made = assemble(prepared->doc, *prepared, options, images, held);
    if (!made) return std::unexpected(made.error());
    Book& book = *made;
    if (step == 0) first_failed = book.images.failed;
    if (book.images.failed > first_failed || (best && book.bytes.size() >= best->bytes.size())) continue;
    best = std::move(book);
    best_warnings = held.warnings();
    reduction = step == 0 ? "" : "JPEG quality " + std::to_string(images.policy.jpeg_quality) + ", images within " +
                                     std::to_string(images.policy.profile.width) + "x" +
                                     std::to_string(images.policy.profile.height);
    if (best->bytes.size() <= limit) break;
  }
  for (const Warning& w : best_warnings) diags.warn(w.where, w.message, w.detail);
  if (best->bytes.size() > limit)
    diags.warn("--max-size", "the book is " + human_size(best->bytes.size()) + ", over the limit of " +
                                 human_size(limit) + " even with the smallest images");
  return std::move(*best);
}

// The store's rules, on the very bytes about to be written: a fault is inkpack's own bug or a
// limit the input pushed past (a huge book), and the user should hear of it either way; a book
// no reading system can open (a malformed part, from a broken --templates file) is not written.
Expected<void> preflight_before_writing(const std::string& bytes, Diagnostics& diags) {
  auto check = preflight(bytes);
  if (!check) return fail("the book just built cannot be read back: " + check.error().message);
  for (const PreflightRule& rule : check->rules) {
    if (rule.unreadable && !rule.problems.empty())
      return fail("the book just built has a part that is not well-formed XML (" + rule.problems.front() +
                  "); if you gave --templates, fix that template");
    for (const std::string& problem : rule.problems) diags.warn("check " + rule.id, problem);
  }
  return {};
}

// A default name that holds a book inkpack wrote with the same title is an earlier build of this
// book (after an edit too, which a content-derived identifier would miss): it is replaced, as it
// can be rebuilt from its article. Anything else there — another program's book, another
// title that maps to the same name, not a book at all — may be all the user has of it.
bool holds_other_book(const fs::path& path, const std::string& title) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return false;
  auto bytes = read_file(path, k_max_epub_file_bytes);
  const auto identity = bytes ? package_identity(*bytes) : std::nullopt;
  return !identity || identity->generator != k_generator || identity->title != title;
}

// Where a book goes, and the default path it avoided because that holds another book.
struct OutputPath {
  fs::path path;  ///< "-": standard output
  std::optional<fs::path> taken;
};

// `-o -` is standard output; a folder (one that exists, or a path ending in '/', created) gets
// the default name in it; no -o, dist/<title>.epub, or when that holds another book the first
// `<title> (N).epub` that is free or holds this book's earlier build.
Expected<OutputPath> choose_output(const BuildOptions& options, const std::string& title) {
  if (options.output && *options.output == k_standard_stream) return OutputPath{*options.output, {}};
  std::error_code ec;
  if (options.output && (!options.output->has_filename() || fs::is_directory(*options.output, ec)))
    return OutputPath{*options.output / safe_file_name(title, ".epub"), {}};
  if (options.output) return OutputPath{*options.output, {}};
  const fs::path preferred = default_output(title);
  if (!holds_other_book(preferred, title)) return OutputPath{preferred, {}};
  for (int n = 2; n < 1000; ++n) {  // a numbered name this book was given before is reused
    const fs::path free = preferred.parent_path() / safe_file_name(title + " (" + std::to_string(n) + ")", ".epub");
    if (!holds_other_book(free, title)) return OutputPath{free, preferred};
  }
  return fail(preferred.string() + " holds another book, and so do its numbered variants: choose an output path with -o");
}

// The book's bytes to its file, atomically, or to standard output, where a failed write (a full
// disk, a closed pipe) is an error too.
Expected<void> write_output(const fs::path& path, const std::string& bytes) {
  if (path != k_standard_stream) return write_file_atomically(path, bytes);
  std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!std::cout.flush()) return fail("standard output: cannot write the book (" + std::string(std::strerror(errno)) + ")");
  return {};
}

}  // namespace

Expected<BuildResult> build_book(const BuildOptions& options, Diagnostics& diags) {
  std::string reduction;
  auto book = options.max_size ? make_book_within(options, *options.max_size, diags, reduction)
                               : make_book(options, diags);
  if (!book) return std::unexpected(book.error());
  auto output = choose_output(options, book->doc.meta.title);
  if (!output) return std::unexpected(output.error());
  if (const InputFile* input = same_file_as(output->path, book->files_read))
    return fail(output->path.string() + ": is " + input->role + " (" + input->path.string() +
                "), which the book would overwrite: choose another output path with -o");
  if (auto checked = preflight_before_writing(book->bytes, diags); !checked) return std::unexpected(checked.error());
  if (options.strict && !diags.warnings().empty())
    return fail(std::to_string(diags.warnings().size()) +
                    " warning(s) and --strict: no book written; fix what they say, or build without --strict",
                ErrorKind::strict);
  if (auto written = write_output(output->path, book->bytes); !written) return std::unexpected(written.error());
  return BuildResult{output->path, std::move(book->doc), book->bytes.size(), book->images, reduction,
                     std::move(output->taken)};
}

std::string format_outline(const Document& doc) {
  std::string out = doc.meta.title + "\n";
  std::vector<int> numbers;  // per depth, restarting under each parent
  for (const Section& section : doc.sections) {
    const std::size_t depth = std::min<std::size_t>(std::max(1, section.depth), numbers.size() + 1);
    numbers.resize(depth);
    ++numbers.back();
    out += std::string(2 * depth, ' ') + std::to_string(numbers.back()) + ". " + section.title + "\n";
  }
  return out;
}

fs::path default_output(const std::string& title) {
  return fs::path("dist") / safe_file_name(title, ".epub");
}

}  // namespace inkpack

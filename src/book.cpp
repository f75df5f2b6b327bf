#include "book.hpp"

#include <array>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "check/preflight.hpp"
#include "epub/package_writer.hpp"
#include "epub/templates.hpp"
#include "epub/xhtml_writer.hpp"
#include "epub/zip_writer.hpp"
#include "image/cover.hpp"
#include "net/cache.hpp"
#include "net/image_urls.hpp"
#include "read/html_reader.hpp"
#include "read/text_encoding.hpp"
#include "read/manifest.hpp"
#include "read/web_page.hpp"
#include "read/markdown_reader.hpp"
#include "style/fonts.hpp"
#include "style/stylesheet.hpp"
#include "transform/bylines.hpp"
#include "transform/captions.hpp"
#include "transform/extras.hpp"
#include "transform/glued_paragraphs.hpp"
#include "transform/inline_passes.hpp"
#include "transform/metadata.hpp"
#include "transform/notes.hpp"
#include "transform/sections.hpp"
#include "transform/strings.hpp"
#include "util/embedded.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

// md4c counts in 32 bits, and no article is this long; a larger file is a mistake.
constexpr std::uintmax_t k_max_article_bytes = 256u << 20;

struct Article {
  std::string name;
  std::string bytes;
  ResourceLoader loader;
  std::optional<bool> html;  ///< what the server said it is; unset: judged by name and bytes
};

// A fetched page has no folder: its images are addresses.
Expected<Resource> no_local_files(const std::string& target) {
  return fail(target + ": a page fetched from the web names no local files");
}

// A file, or standard input for `-` (pandoc's and curl's convention), whose images are then
// relative to the current folder.
Expected<Article> read_local_article(const fs::path& input) {
  const bool stdin_ = input == k_standard_stream;
  const std::string name = stdin_ ? "standard input" : input.string();
  std::error_code ec;
  if (!stdin_ && !fs::exists(input, ec) && !ec)
    return fail(name + ": no such file; check the name (a web address needs http:// or https://)");
  auto bytes = read_file(stdin_ ? fs::path("/dev/stdin") : input, k_max_article_bytes);
  if (!bytes) return fail(stdin_ ? name + " (-): " + bytes.error().message : bytes.error().message);
  if (auto text = require_text_article(*bytes, name); !text) return std::unexpected(text.error());
  const fs::path dir = input.has_parent_path() ? input.parent_path() : fs::path(".");
  return Article{name, std::move(*bytes), file_loader(dir.string()), std::nullopt};
}

Expected<std::vector<Article>> read_inputs(const BuildOptions& options, Diagnostics& diags) {
  std::vector<Article> articles;
  if (options.sample) {
    const embedded::File* article = nullptr;
    for (const embedded::File& file : embedded::sample())
      if (file.path.ends_with(".md")) article = &file;
    if (!article) return fail("no input given and no sample article built in");
    ResourceLoader loader = [](const std::string& target) -> Expected<Resource> {
      for (const embedded::File& file : embedded::sample())
        if (file.path == target) return Resource{"sample:" + target, std::string(file.bytes)};
      return fail("not in the built-in sample");
    };
    articles.push_back({"sample:" + std::string(article->path), std::string(article->bytes), loader});
    return articles;
  }
  if (options.inputs.empty()) return fail("no article given: name one, or ask for the built-in sample article");
  for (const fs::path& input : options.inputs) {
    if (is_web_url(input.string())) {
      auto page = fetch_page(input.string(), options.images, diags);
      if (!page) return std::unexpected(page.error());
      // Named for where it was found after redirects: its relative addresses start from there.
      const std::string name = page->effective_url.empty() ? input.string() : page->effective_url;
      if (auto text = require_text_article(page->body, name, page->content_type); !text)
        return std::unexpected(text.error());
      const bool html = page->content_type.find("html") != std::string::npos;
      articles.push_back({name, std::move(page->body), no_local_files, html ? std::optional(true) : std::nullopt});
      continue;
    }
    auto article = read_local_article(input);
    if (!article) return std::unexpected(article.error());
    articles.push_back(std::move(*article));
  }
  return articles;
}

std::int64_t build_time(const BuildOptions& options) {
  if (options.timestamp) return *options.timestamp;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

namespace {

void resolve_against(Inlines& list, const std::string& base) {
  for (Inline& node : list) {
    if (node.kind == InlineKind::image || node.kind == InlineKind::link) node.target = resolve_url(base, node.target);
    resolve_against(node.children, base);
  }
}

// Addresses in a page fetched from the web are relative to it.
void resolve_against(Blocks& blocks, const std::string& base) {
  for (Block& block : blocks) {
    resolve_against(block.inlines, base);
    resolve_against(block.children, base);
  }
}

// What is not the article leaves the text, but never all of it: a page whose every paragraph
// looks like chrome (a stray `<a>` around the text, a list of links) is kept whole, loudly.
void leave_out_extras(Blocks& blocks, const std::string& name, Diagnostics& diags) {
  // The article's `#` title stays anyway; what counts is the text under it.
  const auto text_under_title = [](const Blocks& b) {
    const bool titled = !b.empty() && b.front().kind == BlockKind::heading && b.front().level == 1;
    return visible_characters(b) - (titled ? visible_characters({b.front()}) : 0);
  };
  Blocks whole = blocks;
  const std::vector<std::string> extras = remove_extras(blocks);
  if (text_under_title(blocks) == 0 && text_under_title(whole) > 0) {
    blocks = std::move(whole);
    diags.warn(name, "everything in the article looked like page chrome (links, prompts) and was kept, as with --keep-extras");
    return;
  }
  for (const std::string& extra : extras) diags.note(name, "left out (not the article's)", extra);
}

Expected<Document> read_article(const Article& article, const SectionOverride& override_,
                                const BuildOptions& options, Diagnostics& diags) {
  const bool html = article.html.value_or(looks_like_html(article.bytes, article.name));
  Expected<Document> read = html ? read_html(article.bytes, article.name, diags)
                                 : Expected<Document>(read_markdown(article.bytes, article.name, diags));
  if (!read) return std::unexpected(read.error());
  Document& doc = *read;
  if (is_web_url(article.name)) resolve_against(doc.blocks, article.name);
  clean_metadata(doc.meta, article.name, diags);
  resolve_cjk_emphasis(doc.blocks);
  read_bylines(doc, options.keep_extras);
  if (!options.keep_extras) leave_out_extras(doc.blocks, article.name, diags);
  make_notes(doc.blocks, article.name);
  if (visible_characters(doc.blocks) == 0)
    diags.warn(article.name, "no text found in the article: the book holds only its title and pictures; "
                             "check that this is the article's page, not a page that loads it with a script");
  clean_metadata(doc.meta, article.name, diags);
  mark_decorative_images(doc.blocks);
  if (doc.meta.language.empty()) doc.meta.language = detect_language(doc.blocks);
  if (!options.language.empty()) doc.meta.language = options.language;
  split_sections(doc, override_, diags);
  // After the outline is chosen, which reads a paragraph's lines; a saved page's line breaks
  // are spaces in the browser too.
  if (!html) split_glued_paragraphs(doc.sections);
  for (Section& section : doc.sections) resolve_soft_breaks(section.blocks);
  return std::move(doc);
}

// In a book of several articles, each article is a chapter and its sections are entries under
// it. The article's opening text belongs to its chapter; without one, the chapter is its title.
void nest_under_title(Document& doc, const std::string& fallback_title) {
  const std::string title = doc.meta.title.empty() ? fallback_title : doc.meta.title;
  const bool opening = !doc.sections.empty() && doc.sections.front().title == label(doc.meta.language, Label::opening);
  const bool whole = doc.sections.size() == 1 && doc.sections.front().title == doc.meta.title;
  for (Section& section : doc.sections) ++section.depth;
  if (opening || whole) {
    doc.sections.front().title = title;
    doc.sections.front().depth = 1;
  } else {
    doc.sections.insert(doc.sections.begin(), Section{title, {}, {}, 1});
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

// A manifest (book.yaml) as input stands for its articles and gives the book its metadata; the
// command line still has the last word. `manifest` receives what it said.
Expected<BuildOptions> with_manifest_expanded(const BuildOptions& options, ExpandedManifest& manifest,
                                              Diagnostics& diags) {
  const auto manifests = std::count_if(options.inputs.begin(), options.inputs.end(), is_manifest);
  if (manifests == 0) return options;
  if (options.inputs.size() > 1)
    return fail("a manifest (" + std::find_if(options.inputs.begin(), options.inputs.end(), is_manifest)->string() +
                ") lists the book's articles: give it alone, or list the articles instead");
  auto expanded = expand_manifest(options.inputs.front(), options.allow_outside_articles, diags);
  if (!expanded) return std::unexpected(expanded.error());
  manifest = std::move(*expanded);
  BuildOptions with_articles = options;
  with_articles.inputs = manifest.articles;
  return with_articles;
}

std::vector<InputFile> article_files(const ExpandedManifest& manifest, const BuildOptions& expanded) {
  std::vector<InputFile> files;
  for (const fs::path& path : manifest.manifests) files.push_back({path, "the manifest"});
  for (const fs::path& input : expanded.inputs)
    if (!is_web_url(input.string()) && input != k_standard_stream) files.push_back({input, "one of the articles"});
  return files;
}

// Said once, before anything is fetched: an unusable cache otherwise only shows as every image
// "not in the cache" with --offline, or as downloads that are never kept.
void check_cache(const ImageOptions& images, Diagnostics& diags) {
  if (!images.cache_dir) return;
  if (const auto problem = DiskCache(*images.cache_dir).problem())
    diags.warn(images.cache_dir->string(),
               "the download cache " + *problem + ": nothing is kept or found in it (--offline has nothing to use); "
               "fix it, or give another folder with --cache DIR");
}

Expected<Prepared> prepare_document(const BuildOptions& given, Diagnostics& diags) {
  check_cache(given.images, diags);
  ExpandedManifest manifest;
  auto expanded = with_manifest_expanded(given, manifest, diags);
  if (!expanded) return std::unexpected(expanded.error());
  const BuildOptions& options = *expanded;
  auto articles = read_inputs(options, diags);
  if (!articles) return std::unexpected(articles.error());
  auto override_ = parse_section_override(options.sections);
  if (!override_) return std::unexpected(override_.error());
  if (!options.language.empty() && !is_language_tag(options.language))
    return fail("--lang " + options.language + ": not a language tag; give one such as zh-CN or en", ErrorKind::usage);

  Document book;
  std::string all_bytes;
  std::vector<ImageSource> image_sources;  // one per section
  const bool several = articles->size() > 1;
  for (std::size_t i = 0; i < articles->size(); ++i) {
    Article& article = (*articles)[i];
    all_bytes += article.bytes;
    auto read = read_article(article, *override_, options, diags);
    if (!read) return std::unexpected(read.error());
    Document& doc = *read;
    if (several) nest_under_title(doc, fs::path(article.name).stem().string());
    merge_metadata(book.meta, doc.meta, i == 0);
    for (Section& section : doc.sections) {
      if (several) section.language = doc.meta.language;
      book.sections.push_back(std::move(section));
      image_sources.push_back({article.loader, article.name});
    }
  }

  Metadata& meta = book.meta;
  overlay(meta, manifest.meta);
  if (!options.title.empty()) meta.title = options.title;
  if (!options.author.empty()) meta.authors = {options.author};
  clean_metadata(meta, "command line", diags);
  // Standard input has no file name to fall back on: the untitled label below.
  if (meta.title.empty() && !options.inputs.empty() && options.inputs.front() != k_standard_stream)
    meta.title = options.inputs.front().stem().string();
  if (meta.title.empty()) meta.title = label(meta.language, Label::untitled);
  // An article with nothing but a title still makes a book a reading system can open.
  if (book.sections.empty()) {
    book.sections.push_back(Section{meta.title, {}, {}});
    image_sources.push_back({});
  }
  meta.identifier = identifier_for(all_bytes);
  for (Section& section : book.sections)
    if (section.title.empty()) section.title = meta.title;

  const auto anchors = assign_ids(book);
  for (Section& section : book.sections) {
    unwrap_unresolvable_links(section.blocks, anchors);
    lift_figures(section.blocks);
  }
  attach_captions(book.sections);
  return Prepared{std::move(book), std::move(image_sources), article_files(manifest, options)};
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

namespace {

// The cover: the user's picture fitted to the profile's cover size, or one typeset from the
// book's title, people and account. Its characters are subset like the book's, so stb_truetype
// reads a font HarfBuzz has rebuilt, not the file as given.
Expected<BookFile> make_cover(const Document& doc, const BuildOptions& options,
                              const std::optional<FontFamily>& font, Diagnostics& diags) {
  const Profile& profile = options.images.policy.profile;
  BookFile cover{"cover-image", "images/cover.jpg", "image/jpeg", {}, "cover-image"};
  if (options.cover) {
    auto bytes = read_file(*options.cover, 64u << 20);
    if (!bytes) return fail("--cover: " + bytes.error().message);
    ImagePolicy policy = options.images.policy;
    policy.profile.width = profile.cover_width;
    policy.profile.height = profile.cover_height;
    auto fitted = shrink_image(*bytes, policy);
    if (!fitted)
      return fail("--cover " + options.cover->string() + ": " + fitted.error().message +
                      "; give a PNG, JPEG, GIF or WebP picture, or leave --cover out for a typeset cover",
                  ErrorKind::usage);
    EncodedImage& image = fitted->front();  // a picture taller than two screens keeps its top
    cover.media_type = image.media_type;
    cover.href = image.media_type == "image/png" ? "images/cover.png" : "images/cover.jpg";
    cover.bytes = std::move(image.bytes);
    return cover;
  }
  const Metadata& meta = doc.meta;
  CoverText text{meta.title, {}, meta.publisher};
  for (const std::string& author : meta.authors)
    text.people += (text.people.empty() ? "" : (meta.language.starts_with("zh") ? "、" : ", ")) + author;
  std::optional<FontFamily> face = font;
  if (!face) {
    if (auto fallback = find_font(k_default_font, meta.language); fallback) face = *fallback;
  }
  std::string font_bytes;
  if (face) {
    std::set<char32_t> characters;
    for (const std::string* line : {&text.title, &text.people, &text.publisher})
      for (std::size_t pos = 0; pos < line->size();) characters.insert(next_code_point(*line, pos));
    characters.insert(U'…');
    auto subset = subset_font(face->regular, characters);
    if (!subset) return std::unexpected(subset.error());
    font_bytes = std::move(subset->bytes);
  } else {
    diags.warn("cover", "no font to set the title on the cover with: install fonts-lxgw-wenkai, or give --cover");
  }
  auto jpeg = render_cover(text, font_bytes, profile);
  if (!jpeg) return std::unexpected(jpeg.error());
  cover.bytes = std::move(*jpeg);
  return cover;
}

// One face of the embedded font: every character a reader sees in that weight, and nothing else.
Expected<BookFile> make_font_face(const FontSource& font, Weight weight, const std::vector<ChapterFile>& chapters,
                                  const std::string& nav, Diagnostics& diags) {
  std::set<char32_t> characters = visible_characters(nav, weight);
  for (const ChapterFile& chapter : chapters) characters.merge(visible_characters(chapter.xhtml, weight));
  // What the reading system draws itself: list numbers and bullets.
  if (weight == Weight::any)
    for (char32_t cp : std::u32string_view(U"0123456789.•◦▪")) characters.insert(cp);
  auto subset = subset_font(font, characters);
  if (!subset) return std::unexpected(subset.error());
  if (!subset->missing.empty()) {
    std::string sample;
    for (std::size_t i = 0; i < subset->missing.size() && i < 20; ++i) append_utf8(sample, subset->missing[i]);
    const std::string message = font.family + " lacks " + std::to_string(subset->missing.size()) + " of the book's " +
                                std::to_string(characters.size()) + " characters, which readers show in their own font: " +
                                sample;
    // A few rare characters are normal; lacking a tenth of them is a font for another script
    // (said once, for the regular face).
    if (weight == Weight::any && subset->missing.size() * 10 > characters.size())
      diags.warn("font", message + " (pick a font for the book's language, e.g. --font " + std::string(k_default_font) + ")");
    else
      diags.note("font", message);
  }
  const std::string name = weight == Weight::bold ? "text-bold" : "text";
  return BookFile{"font-" + name, "fonts/" + name + subset->extension, subset->media_type, std::move(subset->bytes)};
}

// The files the book's parts come from, beyond the articles and their images.
void add_files_read(std::vector<InputFile>& files, const BuildOptions& options, const Templates& templates,
                    const std::optional<FontFamily>& font) {
  for (const fs::path& file : templates.overrides()) files.push_back({file, "a --templates file"});
  if (options.cover) files.push_back({*options.cover, "the --cover picture"});
  if (options.css) files.push_back({*options.css, "the --css stylesheet"});
  if (font) files.push_back({font->regular.file, "the font file embedded (--font)"});
  if (font && font->bold) files.push_back({font->bold->file, "the bold font file embedded (--font)"});
}

}  // namespace

Expected<std::string> write_epub(const Document& doc, const BuildOptions& options, Diagnostics& diags,
                                 std::vector<InputFile>* files_read) {
  auto templates = Templates::load(options.templates);
  if (!templates) return std::unexpected(templates.error());
  auto font = find_font(options.font, doc.meta.language);
  if (!font) return std::unexpected(font.error());
  if (files_read) add_files_read(*files_read, options, *templates, *font);
  auto chapters = write_chapters(doc, *templates);
  if (!chapters) return std::unexpected(chapters.error());
  auto title_page = write_title_page(doc, *templates);
  if (!title_page) return std::unexpected(title_page.error());
  auto cover = make_cover(doc, options, *font, diags);
  if (!cover) return std::unexpected(cover.error());
  auto cover_page = write_cover_page(doc, *templates, cover->href);
  if (!cover_page) return std::unexpected(cover_page.error());
  chapters->insert(chapters->begin(), std::move(*title_page));
  chapters->insert(chapters->begin(), std::move(*cover_page));
  std::vector<BookFile> resources{std::move(*cover)};

  const std::int64_t now = build_time(options);
  const PackageContents contents{doc, *chapters, resources, utc_text(now, "%Y-%m-%dT%H:%M:%SZ")};
  auto nav = write_nav(*templates, contents);
  if (!nav) return std::unexpected(nav.error());
  std::optional<FontFace> face;
  if (*font) {
    auto regular = make_font_face((*font)->regular, Weight::any, *chapters, *nav, diags);
    if (!regular) return std::unexpected(regular.error());
    face = FontFace{(*font)->regular.family, "../" + regular->href, {}};
    resources.push_back(std::move(*regular));
    if ((*font)->bold) {
      auto bold = make_font_face(*(*font)->bold, Weight::bold, *chapters, *nav, diags);
      if (!bold) return std::unexpected(bold.error());
      face->bold_href = "../" + bold->href;
      resources.push_back(std::move(*bold));
    }
  }
  auto css = make_stylesheet(templates->get("EPUB/styles/book.css"), face, options.css, diags);
  if (!css) return std::unexpected(css.error());
  auto container = write_container(*templates);
  auto opf = write_opf(*templates, contents);
  auto ncx = write_ncx(*templates, contents);
  for (const auto* part : {&container, &opf, &ncx})
    if (!*part) return std::unexpected(part->error());

  std::vector<ZipEntry> entries;
  entries.push_back({"mimetype", "application/epub+zip", false});
  entries.push_back({"META-INF/container.xml", std::move(*container)});
  entries.push_back({"EPUB/content.opf", std::move(*opf)});
  entries.push_back({"EPUB/nav.xhtml", std::move(*nav)});
  entries.push_back({"EPUB/toc.ncx", std::move(*ncx)});
  entries.push_back({"EPUB/styles/book.css", std::move(*css)});
  for (ChapterFile& chapter : *chapters) entries.push_back({"EPUB/" + chapter.href, std::move(chapter.xhtml)});
  for (const MediaItem& media : doc.media) entries.push_back({"EPUB/" + media.href, media.bytes, false});
  for (BookFile& resource : resources)  // fonts compress to about half; pictures do not
    entries.push_back({"EPUB/" + resource.href, std::move(resource.bytes), resource.media_type.starts_with("font/")});
  return zip_entries(entries, static_cast<std::time_t>(now));
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
  auto bytes = read_file(path, k_max_book_bytes * 4);
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

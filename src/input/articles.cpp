#include "input/articles.hpp"

#include <algorithm>

#include "input/web_page.hpp"
#include "limits.hpp"
#include "read/text_encoding.hpp"
#include "util/embedded.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace fs = std::filesystem;
namespace {

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

Expected<std::vector<Article>> read_articles(const InputRequest& options, const ImageOptions& images, Diagnostics& diags) {
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
      auto page = fetch_page(input.string(), images, diags);
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

// A manifest (book.yaml) as input stands for its articles; `manifest` receives what it said.
Expected<InputRequest> with_manifest_expanded(const InputRequest& request, ExpandedManifest& manifest,
                                              Diagnostics& diags) {
  const auto manifests = std::count_if(request.inputs.begin(), request.inputs.end(), is_manifest);
  if (manifests == 0) return request;
  if (request.inputs.size() > 1)
    return fail("a manifest (" + std::find_if(request.inputs.begin(), request.inputs.end(), is_manifest)->string() +
                ") lists the book's articles: give it alone, or list the articles instead");
  auto expanded = expand_manifest(request.inputs.front(), request.allow_outside_articles, diags);
  if (!expanded) return std::unexpected(expanded.error());
  manifest = std::move(*expanded);
  InputRequest with_articles = request;
  with_articles.inputs = manifest.articles;
  return with_articles;
}

std::vector<InputFile> article_files(const ExpandedManifest& manifest, const InputRequest& expanded) {
  std::vector<InputFile> files;
  for (const fs::path& path : manifest.manifests) files.push_back({path, "the manifest"});
  for (const fs::path& input : expanded.inputs)
    if (!is_web_url(input.string()) && input != k_standard_stream) files.push_back({input, "one of the articles"});
  return files;
}

}  // namespace

Expected<Inputs> gather_inputs(const InputRequest& request, const ImageOptions& images, Diagnostics& diags) {
  ExpandedManifest manifest;
  auto expanded = with_manifest_expanded(request, manifest, diags);
  if (!expanded) return std::unexpected(expanded.error());
  auto articles = read_articles(*expanded, images, diags);
  if (!articles) return std::unexpected(articles.error());
  Inputs inputs{std::move(*articles), std::move(manifest.meta), article_files(manifest, *expanded), {}};
  // Standard input has no file name to fall back on.
  if (!expanded->inputs.empty() && expanded->inputs.front() != k_standard_stream)
    inputs.fallback_title = expanded->inputs.front().stem().string();
  return inputs;
}

}  // namespace inkpack

#include "transform/passes.hpp"

#include "model/walk.hpp"
#include "net/image_urls.hpp"
#include "transform/bylines.hpp"
#include "transform/captions.hpp"
#include "transform/extras.hpp"
#include "transform/glued_paragraphs.hpp"
#include "transform/inline_passes.hpp"
#include "transform/metadata.hpp"
#include "transform/notes.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Addresses in a page fetched from the web are relative to it.
void resolve_against(Blocks& blocks, const std::string& base) {
  for_each_inline(blocks, [&](Inline& node) {
    if (node.kind == InlineKind::image || node.kind == InlineKind::link) node.target = resolve_url(base, node.target);
  });
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

void relative_addresses(ArticleWork& w) {
  if (is_web_url(w.name)) resolve_against(w.doc.blocks, w.name);
}

void metadata(ArticleWork& w) { clean_metadata(w.doc.meta, w.name, w.diags); }

void emphasis(ArticleWork& w) { resolve_cjk_emphasis(w.doc.blocks); }

void bylines(ArticleWork& w) { read_bylines(w.doc, w.options.keep_extras); }

void extras(ArticleWork& w) {
  if (!w.options.keep_extras) leave_out_extras(w.doc.blocks, w.name, w.diags);
  if (visible_characters(w.doc.blocks) == 0)
    w.diags.warn(w.name, "no text found in the article: the book holds only its title and pictures; "
                         "check that this is the article's page, not a page that loads it with a script");
}

void notes(ArticleWork& w) { make_notes(w.doc.blocks, w.name); }

void decorative_images(ArticleWork& w) { mark_decorative_images(w.doc.blocks); }

void language(ArticleWork& w) {
  if (w.doc.meta.language.empty()) w.doc.meta.language = detect_language(w.doc.blocks);
  if (!w.options.language.empty()) w.doc.meta.language = w.options.language;
}

void sections(ArticleWork& w) { split_sections(w.doc, w.options.sections, w.diags); }

// After the outline is chosen, which reads a paragraph's lines; a saved page's line breaks are
// spaces in the browser too.
void glued_paragraphs(ArticleWork& w) {
  if (!w.html) split_glued_paragraphs(w.doc.sections);
}

void soft_breaks(ArticleWork& w) {
  for (Section& section : w.doc.sections) resolve_soft_breaks(section.blocks);
}

// Metadata is cleaned twice: as the reader found it, then with what the bylines in the text
// added (authors, the account, the original's address).
constexpr ArticlePass k_article_passes[] = {
    {"relative addresses", relative_addresses},
    {"metadata", metadata},
    {"emphasis", emphasis},
    {"bylines", bylines},
    {"extras", extras},
    {"notes", notes},
    {"metadata again", metadata},
    {"decorative images", decorative_images},
    {"language", language},
    {"sections", sections},
    {"glued paragraphs", glued_paragraphs},
    {"soft breaks", soft_breaks},
};

void links(Document& book) {
  const auto anchors = assign_ids(book);
  for (Section& section : book.sections) unwrap_unresolvable_links(section.blocks, anchors);
}

void figures(Document& book) {
  for (Section& section : book.sections) lift_figures(section.blocks);
}

void captions(Document& book) { attach_captions(book.sections); }

constexpr BookPass k_book_passes[] = {
    {"ids and links", links},
    {"figures", figures},
    {"captions", captions},
};

}  // namespace

std::span<const ArticlePass> article_passes() { return k_article_passes; }

void run_article_passes(ArticleWork& work) {
  for (const ArticlePass& pass : k_article_passes) pass.run(work);
}

std::span<const BookPass> book_passes() { return k_book_passes; }

void run_book_passes(Document& book) {
  for (const BookPass& pass : k_book_passes) pass.run(book);
}

}  // namespace inkpack

#pragma once
// Every size limit inkpack keeps, each stated once: what stores and reading systems accept (a
// book is made to fit them and `inkpack check` holds any book to them), and how much of an
// input inkpack will read before it refuses it as not what it claims to be.
#include <cstddef>
#include <cstdint>

namespace inkpack {

// What the book must fit. Beyond these Kindle refuses or splits a file (the Kindle Publishing
// Guidelines), and some reading systems load a whole content file into memory and slow down.
constexpr std::uint64_t k_max_content_file_bytes = 250 * 1024;  ///< one XHTML file; sections split to fit
constexpr std::uint64_t k_max_image_bytes = 5'000'000;          ///< one image, a kept animation included
constexpr std::uint64_t k_max_book_bytes = 50'000'000;          ///< the whole book: Send to Kindle by e-mail

// What inkpack reads. Far above any real input, so only a wrong file (a disk image given as an
// article, a server that never stops sending) meets them, and memory stays bounded.
constexpr std::uint64_t k_max_article_bytes = 256u << 20;   ///< an article file, standard input
constexpr std::uint64_t k_max_manifest_bytes = 1u << 20;    ///< a book.yaml
constexpr std::uint64_t k_max_stylesheet_bytes = 1u << 20;  ///< --css
constexpr std::uint64_t k_max_image_file_bytes = 64u << 20; ///< a local picture: the article's, --cover
constexpr std::size_t k_max_download_bytes = 20u << 20;     ///< one answer of a web server
constexpr std::uint64_t k_max_epub_file_bytes = 1u << 30;   ///< an EPUB read back (check, serve, an output's owner)
constexpr std::uint64_t k_max_served_cover_bytes = 20u << 20; ///< a served book's cover: a phone's page waits for it
constexpr std::uint64_t k_max_epub_entry_bytes = 64u << 20; ///< one file in an EPUB read back
constexpr std::uint64_t k_max_epub_xml_bytes = 256u << 20;  ///< all of its XML, inflated
constexpr std::int64_t k_default_pixel_budget = 40'000'000; ///< pixels of one decoded image (--pixel-budget)

}  // namespace inkpack

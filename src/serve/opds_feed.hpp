#pragma once
// The OPDS 1.2 acquisition feed (an Atom feed) that reading apps (KOReader, Moon+ Reader,
// Librera, Thorium, Aldiko) browse and download from.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "serve/book_catalog.hpp"

namespace inkpack {

/// What OPDS 1.2 calls an acquisition feed's type, for its links and the page's.
constexpr std::string_view k_acquisition_feed_type = "application/atom+xml;profile=opds-catalog;kind=acquisition";

/// The feed of these books: one entry each with title, authors, language, summary, updated, the
/// cover and thumbnail links and the acquisition link; links are absolute paths under `token`.
/// `feed_id` names this catalog (atom:id).
std::string opds_feed(const std::vector<ServedBook>& books, std::string_view token, const std::string& feed_id);

/// RFC 3339 in UTC, as Atom dates are written: 2024-07-01T08:00:00Z.
std::string rfc3339(std::chrono::system_clock::time_point time);

}  // namespace inkpack

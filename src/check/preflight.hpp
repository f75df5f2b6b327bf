#pragma once
// `inkpack check`: the rules Send to Kindle and Kobo's store enforce beyond EPUBCheck, on any EPUB
// file (inkpack's own are checked after every build).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "limits.hpp"
#include "util/error.hpp"

namespace inkpack {

struct PreflightRule {
  std::string id;     ///< short name shown in the report: "img-alt"
  std::string title;  ///< what the rule asks, in words
  std::vector<std::string> problems;  ///< each with the file it is in; empty: the rule holds
  bool unreadable = false;  ///< broken, the book cannot be read at all: a build fails instead of warning
};

struct Preflight {
  std::vector<PreflightRule> rules;
  bool passed() const;
  /// One line per rule (only broken ones if `failures_only`), then its problems (the first few
  /// of each, unless `all`).
  std::string format(bool all = false, bool failures_only = false) const;
};

/// Checks the EPUB's bytes. An error only when it cannot be read as an EPUB at all (not a zip,
/// no package document); every other fault is a problem under its rule.
Expected<Preflight> preflight(std::string_view epub);

/// What the package document says of itself, to tell a rebuild of a book from another book.
struct PackageIdentity {
  std::string title;      ///< dc:title
  std::string generator;  ///< <meta name="generator">: the program that wrote it
};
/// Nullopt when `epub` cannot be read as an EPUB.
std::optional<PackageIdentity> package_identity(std::string_view epub);

}  // namespace inkpack

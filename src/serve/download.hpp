#pragma once
// What a book's download answer carries beyond its bytes: the part of the file sent (Range
// requests, so a broken download resumes) and the name the phone saves it under.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace inkpack {

/// One range of a Range header as parsed ("bytes=first-last"); -1 where a number is absent:
/// {500, -1} is "500-", {-1, 500} the last 500 bytes.
struct RangeAsked {
  std::int64_t first = -1;
  std::int64_t last = -1;
};

enum class RangeAnswer {
  whole,          ///< 200, the whole file: no Range, or one not worth honouring (several ranges)
  part,           ///< 206, bytes first..last
  unsatisfiable,  ///< 416: the range starts past the end
};

struct RangeDecision {
  RangeAnswer answer = RangeAnswer::whole;
  std::uint64_t first = 0;
  std::uint64_t last = 0;  ///< inclusive
};

/// What to send of a file of `size` bytes for the ranges asked. One range is clamped to the
/// file (RFC 9110 §14.1.2); several are answered with the whole file, which RFC 9110 allows and
/// which no downloader needs otherwise, so overlapping or countless ranges cannot multiply the
/// work.
RangeDecision decide_range(const std::vector<RangeAsked>& ranges, std::uint64_t size);

/// `Content-Disposition: attachment` with the name twice, as RFC 6266 advises: an ASCII
/// `filename` for old clients ("2024_7_.epub") and `filename*` in UTF-8 (RFC 8187) with the real one.
std::string content_disposition(std::string_view file_name);

/// A strong validator for a file as it is now (size and modification time), for ETag and
/// If-Range: a resumed download never splices two versions of a book.
std::string entity_tag(std::uint64_t size, std::chrono::system_clock::time_point modified);

/// The parts of a book one client has had, to tell when it has all of it (--once): a resumed
/// download comes in several answers, maybe over several connections at once.
class ReceivedParts {
public:
  /// Adds bytes [first, first + count) of a file of `size` bytes; true when they complete it,
  /// the first time only.
  bool add(std::uint64_t first, std::uint64_t count, std::uint64_t size);

private:
  std::map<std::uint64_t, std::uint64_t> m_parts;  ///< first -> end (exclusive); disjoint, never touching
  bool m_complete = false;
};

}  // namespace inkpack

#include "epub/zip_writer.hpp"

#include <zip.h>

#include <cstdint>
#include <memory>

namespace inkpack {
namespace {

std::string zip_message(zip_error_t* error) { return zip_error_strerror(error); }

struct SourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};
using SourcePtr = std::unique_ptr<zip_source_t, SourceFree>;

struct DosTime {
  std::uint16_t time, date;
};

// DOS time starts in 1980.
DosTime dos_time_utc(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  if (utc.tm_year < 80) return {0, (1 << 5) | 1};
  return {static_cast<std::uint16_t>((utc.tm_hour << 11) | (utc.tm_min << 5) | (utc.tm_sec / 2)),
          static_cast<std::uint16_t>(((utc.tm_year - 80) << 9) | ((utc.tm_mon + 1) << 5) | utc.tm_mday)};
}

std::uint32_t read_le(const std::string& b, std::size_t at, int bytes) {
  std::uint32_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(b[at + i]);
  return value;
}

void write_le16(std::string& b, std::size_t at, std::uint16_t value) {
  b[at] = static_cast<char>(value & 0xFF);
  b[at + 1] = static_cast<char>(value >> 8);
}

// Zip stores local "DOS" times, and libzip converts every time through the machine's time zone
// (a UTC time inside a daylight-saving gap comes out an hour off). Stamping the UTC fields into
// the finished archive, in every central and local header, makes the bytes the same anywhere.
Expected<void> stamp_times(std::string& zip, DosTime stamp) {
  const std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos || eocd + 22 > zip.size()) return fail("zip without end record");
  const std::uint32_t count = read_le(zip, eocd + 10, 2);
  std::size_t at = read_le(zip, eocd + 16, 4);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + 46 > zip.size() || zip.compare(at, 4, "PK\x01\x02") != 0) return fail("corrupt zip directory");
    const std::size_t local = read_le(zip, at + 42, 4);
    if (local + 30 > zip.size() || zip.compare(local, 4, "PK\x03\x04") != 0) return fail("corrupt zip entry");
    write_le16(zip, at + 12, stamp.time);
    write_le16(zip, at + 14, stamp.date);
    write_le16(zip, local + 10, stamp.time);
    write_le16(zip, local + 12, stamp.date);
    at += 46 + read_le(zip, at + 28, 2) + read_le(zip, at + 30, 2) + read_le(zip, at + 32, 2);
  }
  return {};
}

Expected<std::string> read_all(zip_source_t* source) {
  zip_stat_t stat;
  if (zip_source_open(source) < 0) return fail("cannot read the zip buffer: " + zip_message(zip_source_error(source)));
  if (zip_source_stat(source, &stat) < 0) {
    zip_source_close(source);
    return fail("cannot read the zip buffer: " + zip_message(zip_source_error(source)));
  }
  std::string bytes(stat.size, '\0');
  const zip_int64_t got = zip_source_read(source, bytes.data(), stat.size);
  zip_source_close(source);
  if (got < 0 || static_cast<zip_uint64_t>(got) != stat.size) return fail("cannot read the zip buffer");
  return bytes;
}

}  // namespace

Expected<std::string> zip_entries(const std::vector<ZipEntry>& entries, std::time_t mtime) {
  zip_error_t error;
  zip_error_init(&error);
  SourcePtr buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) return fail("cannot create a zip buffer: " + zip_message(&error));
  zip_t* archive = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error);
  if (!archive) return fail("cannot create a zip archive: " + zip_message(&error));
  zip_source_keep(buffer.get());  // the archive releases its reference on close; we read after

  for (const ZipEntry& entry : entries) {
    // A sized buffer source: an unsized one makes libzip add a Zip64 extra field, which
    // EPUBCheck rejects on `mimetype` (PKG-005).
    zip_source_t* source = zip_source_buffer(archive, entry.bytes.data(), entry.bytes.size(), 0);
    const zip_int64_t index = source ? zip_file_add(archive, entry.path.c_str(), source, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      const std::string message = zip_strerror(archive);
      zip_discard(archive);
      return fail("cannot add " + entry.path + " to the book: " + message);
    }
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive, i, entry.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9) < 0) {
      const std::string message = zip_strerror(archive);
      zip_discard(archive);
      return fail("cannot add " + entry.path + " to the book: " + message);
    }
  }
  if (zip_close(archive) < 0) {
    const std::string message = zip_strerror(archive);
    zip_discard(archive);
    return fail("cannot write the book: " + message);
  }
  auto bytes = read_all(buffer.get());
  if (!bytes) return bytes;
  if (auto stamped = stamp_times(*bytes, dos_time_utc(mtime)); !stamped) return std::unexpected(stamped.error());
  return bytes;
}

}  // namespace inkpack

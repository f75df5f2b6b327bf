#include "epub/zip_writer.hpp"

#include <zip.h>

#include <memory>

namespace inkpack {
namespace {

std::string zip_message(zip_error_t* error) { return zip_error_strerror(error); }

struct SourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};
using SourcePtr = std::unique_ptr<zip_source_t, SourceFree>;

// libzip stores times as DOS local time. Shift so the stored fields read as UTC whatever the
// machine's time zone: a book built from the same inputs is then the same bytes anywhere.
std::time_t as_dos_utc(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  utc.tm_isdst = -1;
  return std::mktime(&utc);
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

  const std::time_t stamp = as_dos_utc(mtime);
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
    if (zip_set_file_compression(archive, i, entry.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9) < 0 ||
        zip_file_set_mtime(archive, i, stamp, 0) < 0) {
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
  return read_all(buffer.get());
}

}  // namespace inkpack

#pragma once
// The one error type: a message a user can act on, returned through std::expected.
#include <expected>
#include <string>
#include <utility>

namespace inkpack {

/// What failed, as far as the exit code goes; main maps each to its code, and nothing else does.
enum class ErrorKind {
  failed,  ///< no book: unreadable input, unwritable output, a broken template…
  usage,   ///< an option's value cannot be used (a bad --font, --lang, --sections, --cover…)
  strict,  ///< --strict, and there were warnings
};

struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::failed;
};

template <class T>
using Expected = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message, ErrorKind kind = ErrorKind::failed) {
  return std::unexpected<Error>(Error{std::move(message), kind});
}

}  // namespace inkpack

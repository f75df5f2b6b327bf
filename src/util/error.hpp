#pragma once
// The one error type: a message a user can act on, returned through std::expected.
#include <expected>
#include <string>
#include <utility>

namespace inkpack {

struct Error {
  std::string message;
};

template <class T>
using Expected = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected<Error>(Error{std::move(message)});
}

}  // namespace inkpack

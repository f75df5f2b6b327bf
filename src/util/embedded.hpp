#pragma once
// Files compiled into the binary by cmake/EmbedFiles.cmake.
#include <string_view>
#include <vector>

namespace inkpack::embedded {

struct File {
  std::string_view path;  ///< relative to the embedded folder, '/'-separated
  std::string_view bytes;
};

/// epub-templates/
const std::vector<File>& templates();
/// samples/sample-article/: the book built when no input is given.
const std::vector<File>& sample();

}  // namespace inkpack::embedded

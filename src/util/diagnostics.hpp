#pragma once
// Warnings a build collects: problems it could work around (a missing image, bad UTF-8) and says
// so about, as opposed to Error, which stops the build.
#include <functional>
#include <string>
#include <vector>

namespace inkpack {

struct Warning {
  std::string where;    ///< "file:line", "file" or empty
  std::string message;  ///< what happened; warnings of one kind share it
  std::string detail;   ///< which one: an image address, a title; may be empty
};

class Diagnostics {
public:
  using Sink = std::function<void(const Warning&)>;
  /// `sink` sees each warning as it is raised (the CLI prints it); may be empty.
  explicit Diagnostics(Sink sink = {}) : m_sink(std::move(sink)) {}

  void warn(std::string where, std::string message, std::string detail = {});
  const std::vector<Warning>& warnings() const { return m_warnings; }
  /// What the build decided on its own and a user may want to check (text it left out as not
  /// the article's); not a problem, so --strict ignores it and the CLI shows it with -v.
  void note(std::string where, std::string message, std::string detail = {});
  const std::vector<Warning>& notes() const { return m_notes; }

private:
  Sink m_sink;
  std::vector<Warning> m_warnings;
  std::vector<Warning> m_notes;
};

}  // namespace inkpack

#include "util/diagnostics.hpp"

namespace inkpack {

void Diagnostics::warn(std::string where, std::string message, std::string detail) {
  m_warnings.push_back({std::move(where), std::move(message), std::move(detail)});
  if (m_sink) m_sink(m_warnings.back());
}

void Diagnostics::note(std::string where, std::string message, std::string detail) {
  m_notes.push_back({std::move(where), std::move(message), std::move(detail)});
}

}  // namespace inkpack

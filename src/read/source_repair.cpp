#include "read/source_repair.hpp"

#include <cctype>

#include "model/document.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

bool ends_destination(char c) { return c == ')' || c == ' ' || c == '\t' || c == '\n'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The exporter turned `&name=` into `&name;=` and `&wx_lazy=` into `&wx;_lazy=`: it read the
// query as HTML and "closed" what it took for entities. Scanned by hand: libstdc++'s regex
// recurses per character and overflows the stack on long destinations.
std::string fix_parameters(const std::string& destination, int& fixed) {
  std::string out;
  out.reserve(destination.size());
  for (std::size_t i = 0; i < destination.size(); ++i) {
    out += destination[i];
    if (destination[i] != '&') continue;
    std::size_t name_end = i + 1;
    while (name_end < destination.size() && is_alnum(destination[name_end])) ++name_end;
    if (name_end == i + 1 || name_end >= destination.size() || destination[name_end] != ';') continue;
    std::size_t rest = name_end + 1;
    while (rest < destination.size() && (is_alnum(destination[rest]) || destination[rest] == '_')) ++rest;
    if (rest >= destination.size() || destination[rest] != '=') continue;
    out.append(destination, i + 1, name_end - i - 1);
    out.append(destination, name_end + 1, rest - name_end - 1);
    i = rest - 1;
    ++fixed;
  }
  return out;
}

// Length of the code fence opening `line` (``` or ~~~, up to three spaces in), or 0.
std::size_t fence_length(std::string_view line, char& fence_char) {
  std::size_t i = 0;
  while (i < 3 && i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return 0;
  const char c = line[i];
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  if (n < 3) return 0;
  fence_char = c;
  return n;
}

class Repairer {
public:
  explicit Repairer(std::string_view in, SourceRepair& out) : m_in(in), m_out(out) {}

  void run() {
    std::size_t fence = 0;
    char fence_char = 0;
    while (m_pos < m_in.size()) {
      std::size_t end = m_in.find('\n', m_pos);
      if (end == std::string_view::npos) end = m_in.size();
      const std::string_view line = m_in.substr(m_pos, end - m_pos);
      char c = 0;
      const std::size_t n = fence_length(line, c);
      if (fence > 0) {
        if (n >= fence && c == fence_char) fence = 0;
        copy_line(end);
      } else if (n > 0) {
        fence = n;
        fence_char = c;
        copy_line(end);
      } else if (closes_bold_of_previous_line(line)) {
        close_bold(end);
      } else if (continues_split_heading(line)) {
        join_heading(end);
      } else if (rule_under_sentence(line)) {
        m_out.text += '\n';  // a blank line first: a rule, not a setext underline
        copy_line(end);
      } else {
        repair_line(end);
      }
    }
  }

private:
  void copy_line(std::size_t end) {
    m_out.text.append(m_in.substr(m_pos, end - m_pos));
    if (end < m_in.size()) m_out.text += '\n';
    m_pos = end + 1;
  }

  // The output's last line that holds something, without its line break.
  std::string_view last_written_line() const {
    std::string_view text(m_out.text);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    const std::size_t start = text.rfind('\n');
    return start == std::string_view::npos ? text : text.substr(start + 1);
  }

  static bool bold_open_at_end(std::string_view line) {
    std::size_t runs = 0;
    for (std::size_t at = line.find("**"); at != std::string_view::npos; at = line.find("**", at + 2)) ++runs;
    return runs % 2 == 1;
  }

  // Letters or digits of any script: what an emoji, a mark or markup is not.
  static bool has_words(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
      const char32_t cp = next_code_point(text, pos);
      if ((cp < 0x80 && std::isalnum(static_cast<int>(cp))) || (cp >= 0xC0 && cp < 0x2000) ||
          (cp >= 0x3040 && cp < 0xA000) || (cp >= 0xAC00 && cp < 0xD7B0))
        return true;
    }
    return false;
  }

  // The exporter split a heading at an emoji: `#### **🚀` then, a blank line below,
  // `****新的开始**` (its bold left open), or `#### 🥘` / `####` then `**吃**` (a heading with no
  // words, its title on the next lines, set bold). The rest belongs on the heading's line.
  bool continues_split_heading(std::string_view line) const {
    constexpr std::size_t k_widest_title = 40;
    const std::string_view last = last_written_line();
    if (!last.starts_with('#')) return false;
    if (line.starts_with("****") && bold_open_at_end(last)) return true;
    const std::string bold = trim(line);
    return !has_words(last) && bold.size() > 4 && bold.starts_with("**") && bold.ends_with("**") &&
           display_width(bold) <= k_widest_title;
  }

  void join_heading(std::size_t end) {
    while (!m_out.text.empty() && (m_out.text.back() == '\n' || m_out.text.back() == ' ')) m_out.text.pop_back();
    // `****` closes the open bold only when it follows the emoji directly.
    if (!m_in.substr(m_pos).starts_with("****")) m_out.text += ' ';
    m_pos += m_in.substr(m_pos, end - m_pos).find_first_not_of(' ');
    copy_line(end);
  }

  // `---` right below a sentence: in an export, a divider the author put after a paragraph;
  // CommonMark would make the paragraph a setext heading. A title above it (exporters underline
  // headings so, however long) stays a heading.
  bool rule_under_sentence(std::string_view line) const {
    const std::string rule = trim(line);
    if (rule.size() < 3 || rule.find_first_not_of('-') != std::string::npos || !m_out.text.ends_with('\n')) return false;
    const std::size_t start = m_out.text.rfind('\n', m_out.text.size() - 2);
    const std::string above = trim(std::string_view(m_out.text).substr(start == std::string::npos ? 0 : start + 1));
    if (above.empty() || above.starts_with('#') || above.starts_with('>') || above.starts_with('|')) return false;
    return is_sentence_end(last_code_point(above));
  }

  // A line holding nothing but `**`, below a line whose `**` is still open: the exporter broke
  // the line inside the bold run (`**问题5：  ⏎**`), and CommonMark cannot close it there.
  bool closes_bold_of_previous_line(std::string_view line) const {
    if (trim(line) != "**" || !m_out.text.ends_with('\n')) return false;
    const std::size_t start = m_out.text.rfind('\n', m_out.text.size() - 2);
    const std::string_view previous = std::string_view(m_out.text).substr(start == std::string::npos ? 0 : start + 1);
    std::size_t runs = 0;
    for (std::size_t at = previous.find("**"); at != std::string_view::npos; at = previous.find("**", at + 2)) ++runs;
    return runs % 2 == 1;
  }

  void close_bold(std::size_t end) {
    while (!m_out.text.empty() && (m_out.text.back() == '\n' || m_out.text.back() == ' ')) m_out.text.pop_back();
    m_out.text += "**";
    if (end < m_in.size()) m_out.text += '\n';
    m_pos = end + 1;
    ++m_out.bold_lines_joined;
  }

  // Repairs one line (or more, when a split destination is joined); backtick spans are copied.
  void repair_line(std::size_t end) {
    while (m_pos < end) {
      const char c = m_in[m_pos];
      if (c == '`') {
        std::size_t ticks = 0;
        while (m_pos + ticks < end && m_in[m_pos + ticks] == '`') ++ticks;
        const std::string_view run = m_in.substr(m_pos, ticks);
        const std::size_t close = m_in.substr(0, end).find(run, m_pos + ticks);
        const std::size_t stop = close == std::string_view::npos ? m_pos + ticks : close + ticks;
        m_out.text.append(m_in.substr(m_pos, stop - m_pos));
        m_pos = stop;
      } else if (c == '\\' && m_pos + 1 < end && m_in[m_pos + 1] == '*') {
        m_out.text += k_escaped_asterisk;
        m_pos += 2;
      } else if (c == ']' && m_pos + 1 < end && m_in[m_pos + 1] == '(') {
        m_out.text += "](";
        m_pos += 2;
        destination(end);
      } else {
        m_out.text += c;
        ++m_pos;
      }
    }
    if (m_pos < m_in.size()) m_out.text += '\n';
    m_pos = end + 1;
  }

  void destination(std::size_t& end) {
    std::size_t stop = m_pos;
    while (stop < m_in.size() && !ends_destination(m_in[stop])) ++stop;
    std::string url(m_in.substr(m_pos, stop - m_pos));
    // A query continued on the next line and closed there: the wrap is the exporter's, not the
    // author's, since a destination cannot contain a line break.
    if (stop < m_in.size() && m_in[stop] == '\n' && !url.empty() && stop + 1 < m_in.size() &&
        (m_in[stop + 1] == '&' || m_in[stop + 1] == '?')) {
      std::size_t tail = stop + 1;
      while (tail < m_in.size() && !ends_destination(m_in[tail])) ++tail;
      if (tail < m_in.size() && m_in[tail] == ')') {
        url.append(m_in.substr(stop + 1, tail - stop - 1));
        stop = tail;
        end = m_in.find('\n', tail);
        if (end == std::string_view::npos) end = m_in.size();
        ++m_out.split_urls_joined;
      }
    }
    m_out.text += fix_parameters(url, m_out.parameters_fixed);
    m_pos = stop;
  }

  std::string_view m_in;
  SourceRepair& m_out;
  std::size_t m_pos = 0;
};

}  // namespace

SourceRepair repair_export_quirks(std::string_view in) {
  SourceRepair result;
  result.text.reserve(in.size());
  Repairer(in, result).run();
  return result;
}

}  // namespace inkpack

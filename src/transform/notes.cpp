#include "transform/notes.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>

#include "model/walk.hpp"
#include "transform/inline_passes.hpp"
#include "util/hash.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Titles authors put over a list of notes or sources, compared without a trailing colon and,
// for Latin ones, without case.
constexpr std::string_view k_note_titles[] = {
    "参考资料", "参考文献", "参考链接", "参考来源", "资料来源", "引用", "注释", "注", "脚注", "尾注",
    "references", "reference", "notes", "footnotes", "sources", "bibliography"};

// Reads a marker at `at` in `text`; returns the note's number and sets `end` past the marker.
using Marker = std::function<std::optional<int>(std::string_view text, std::size_t at, std::size_t& end)>;

// Where a note and its references are anchored: `<prefix>-<number>`, `-ref` and `-ref-<n>` after it.
class Anchors {
public:
  explicit Anchors(std::string prefix) : m_prefix(std::move(prefix)) {}

  std::string note(int number) const { return m_prefix + "-" + std::to_string(number); }

  Inline reference(int number) {
    const int seen = ++m_references[number];
    Inline ref;
    ref.kind = InlineKind::note_ref;
    ref.target = note(number);
    ref.text = std::to_string(number);
    ref.id = ref.target + "-ref" + (seen == 1 ? "" : "-" + std::to_string(seen));
    return ref;
  }

  bool referenced(int number) const { return m_references.contains(number); }

  Block note_block(int number, Blocks text) const {
    Block block{BlockKind::note};
    block.id = note(number);
    block.level = number;
    if (referenced(number)) block.info = block.id + "-ref";
    block.children = std::move(text);
    return block;
  }

private:
  std::string m_prefix;
  std::map<int, int> m_references;  // note number → references made so far
};

// A number of one to three ASCII digits at `at`.
std::optional<int> number_at(std::string_view text, std::size_t at, std::size_t& end) {
  end = at;
  while (end < text.size() && end - at < 4 && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == at || end - at > 3) return std::nullopt;
  return std::stoi(std::string(text.substr(at, end - at)));
}

// `[1]` or `［1］`.
std::optional<int> bracketed_number(std::string_view text, std::size_t at, std::size_t& end) {
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"[", "]"}, {"［", "］"}}) {
    if (!text.substr(at).starts_with(open)) continue;
    std::size_t digits_end = 0;
    const auto number = number_at(text, at + open.size(), digits_end);
    if (!number || !text.substr(digits_end).starts_with(close)) return std::nullopt;
    end = digits_end + close.size();
    return number;
  }
  return std::nullopt;
}

// Splits the text of `list` at markers, each replaced by a reference; when `superscripts`, a
// superscript holding only a number, bracketed or not (`<sup>[2]</sup>`), is read as `[2]`.
// Code and link text are left alone.
void replace_markers(Inlines& list, const Marker& marker, bool superscripts,
                     const std::function<Inline(int)>& reference) {
  Inlines out;
  for (Inline& node : list) {
    if (node.kind == InlineKind::superscript && superscripts) {
      std::string text = trim(plain_text(node.children));
      if (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front()))) text = "[" + text + "]";
      std::size_t end = 0;
      if (const auto number = marker(text, 0, end); number && end == text.size()) {
        out.push_back(reference(*number));
        continue;
      }
    }
    if (node.kind != InlineKind::text) {
      if (node.kind != InlineKind::link && node.kind != InlineKind::code)
        replace_markers(node.children, marker, superscripts, reference);
      out.push_back(std::move(node));
      continue;
    }
    std::size_t copied = 0;
    for (std::size_t at = 0; at < node.text.size(); ++at) {
      std::size_t end = 0;
      const auto number = marker(node.text, at, end);
      if (!number) continue;
      if (at > copied) out.push_back(Inline::make_text(node.text.substr(copied, at - copied)));
      out.push_back(reference(*number));
      copied = end;
      at = end - 1;
    }
    if (copied < node.text.size()) out.push_back(Inline::make_text(node.text.substr(copied)));
  }
  list = std::move(out);
}

void replace_markers(Blocks& blocks, const Marker& marker, bool superscripts,
                     const std::function<Inline(int)>& reference) {
  for_each_inline_list(blocks, [&](Inlines& list) { replace_markers(list, marker, superscripts, reference); });
}

// --- Markdown footnotes -------------------------------------------------------------------

void number_footnotes(Blocks& blocks, Anchors& anchors) {
  const auto last = std::find_if(blocks.rbegin(), blocks.rend(), [](const Block& b) { return b.kind == BlockKind::notes; });
  if (last == blocks.rend()) return;
  Block notes = std::move(*last);
  blocks.erase(std::next(last).base());
  std::map<std::string, int> numbers;  // label → number, in order of first reference
  const auto defined = [&](const std::string& label) {
    return std::any_of(notes.children.begin(), notes.children.end(), [&](const Block& n) { return n.id == label; });
  };
  const Marker marker = [&](std::string_view text, std::size_t at, std::size_t& end) -> std::optional<int> {
    if (!text.substr(at).starts_with("[^")) return std::nullopt;
    const std::size_t close = text.find(']', at + 2);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string label(text.substr(at + 2, close - at - 2));
    if (!defined(label)) return std::nullopt;
    end = close + 1;
    return numbers.emplace(label, static_cast<int>(numbers.size()) + 1).first->second;
  };
  replace_markers(blocks, marker, false, [&](int n) { return anchors.reference(n); });
  // Referenced notes in their order, then any nothing refers to, which are kept all the same.
  for (Block& note : notes.children)
    if (!numbers.contains(note.id)) numbers.emplace(note.id, static_cast<int>(numbers.size()) + 1);
  Block numbered{BlockKind::notes};
  numbered.children.resize(numbers.size());
  for (Block& note : notes.children) {
    const int number = numbers.at(note.id);
    numbered.children[static_cast<std::size_t>(number - 1)] = anchors.note_block(number, std::move(note.children));
  }
  blocks.push_back(std::move(numbered));
}

// --- Reference lists ----------------------------------------------------------------------

bool is_note_title(const Block& block) {
  if (block.kind != BlockKind::heading && block.kind != BlockKind::paragraph) return false;
  std::string text = trim(plain_text(block.inlines));
  for (std::string_view colon : {"：", ":"})
    if (text.ends_with(colon)) text = trim(text.substr(0, text.size() - colon.size()));
  text = ascii_lower(text);
  return std::find(std::begin(k_note_titles), std::end(k_note_titles), text) != std::end(k_note_titles);
}

struct Entry {
  int number;
  Blocks text;
};

// An entry's leading number: `[1]`, `［1］`, `1.`, `1、`, `1．`; sets `end` past it and its spaces.
std::optional<int> entry_number(std::string_view text, std::size_t& end) {
  auto number = bracketed_number(text, 0, end);
  if (!number) {
    number = number_at(text, 0, end);
    bool separated = false;
    for (std::string_view mark : {".", "、", "．"})
      if (number && text.substr(end).starts_with(mark)) {
        end += mark.size();
        separated = true;
        break;
      }
    if (!separated) return std::nullopt;
  }
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return number;
}

// The lines of a paragraph that each start with an entry number; a line without one continues
// the entry above. Nothing if the paragraph's first line has no number.
std::optional<std::vector<Entry>> entries_of(const Block& paragraph) {
  if (paragraph.kind != BlockKind::paragraph) return std::nullopt;
  std::vector<Entry> entries;
  for (const Line& line : lines_of(paragraph.inlines)) {
    Inlines inlines(paragraph.inlines.begin() + static_cast<std::ptrdiff_t>(line.begin),
                    paragraph.inlines.begin() + static_cast<std::ptrdiff_t>(line.end));
    while (!inlines.empty() && is_blank(inlines.front())) inlines.erase(inlines.begin());
    if (inlines.empty()) continue;
    std::size_t end = 0;
    const auto number = inlines.front().kind == InlineKind::text ? entry_number(inlines.front().text, end) : std::nullopt;
    if (number) {
      inlines.front().text.erase(0, end);
      Block text{BlockKind::paragraph};
      text.inlines = std::move(inlines);
      entries.push_back({*number, {std::move(text)}});
    } else if (!entries.empty()) {
      Inlines& above = entries.back().text.front().inlines;
      above.push_back({InlineKind::line_break, {}, {}, {}, {}, {}});
      above.insert(above.end(), inlines.begin(), inlines.end());
    } else {
      return std::nullopt;
    }
  }
  if (entries.empty()) return std::nullopt;
  return entries;
}

// The entries after a title at `title`, and how many blocks they take.
std::vector<Entry> entries_after(const Blocks& blocks, std::size_t title, std::size_t& taken) {
  std::vector<Entry> entries;
  taken = 0;
  if (title + 1 < blocks.size() && blocks[title + 1].kind == BlockKind::ordered_list) {
    const Block& list = blocks[title + 1];
    for (std::size_t i = 0; i < list.children.size(); ++i)
      entries.push_back({list.level + static_cast<int>(i), list.children[i].children});
    taken = 1;
    return entries;
  }
  for (std::size_t i = title + 1; i < blocks.size(); ++i) {
    auto found = entries_of(blocks[i]);
    if (!found) break;
    entries.insert(entries.end(), std::make_move_iterator(found->begin()), std::make_move_iterator(found->end()));
    ++taken;
  }
  // Numbered one after another, or not a list of notes.
  for (std::size_t i = 1; i < entries.size(); ++i)
    if (entries[i].number != entries[i - 1].number + 1) return {};
  return entries;
}

bool link_reference_list(Blocks& blocks, std::size_t title, Anchors& anchors) {
  std::size_t taken = 0;
  std::vector<Entry> entries = entries_after(blocks, title, taken);
  if (entries.empty()) return false;
  const auto listed = [&](int n) {
    return std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.number == n; });
  };
  const Marker marker = [&](std::string_view text, std::size_t at, std::size_t& end) -> std::optional<int> {
    const auto number = bracketed_number(text, at, end);
    return number && listed(*number) ? number : std::nullopt;
  };
  // On a copy of the text above: a list nothing refers to leaves it as it was.
  Blocks above(blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(title));
  replace_markers(above, marker, true, [&](int n) { return anchors.reference(n); });
  if (std::none_of(entries.begin(), entries.end(), [&](const Entry& e) { return anchors.referenced(e.number); }))
    return false;
  std::move(above.begin(), above.end(), blocks.begin());
  Block notes{BlockKind::notes};
  for (Entry& entry : entries) notes.children.push_back(anchors.note_block(entry.number, std::move(entry.text)));
  const auto first = blocks.begin() + static_cast<std::ptrdiff_t>(title + 1);
  blocks.erase(first, first + static_cast<std::ptrdiff_t>(taken));
  blocks.insert(blocks.begin() + static_cast<std::ptrdiff_t>(title + 1), std::move(notes));
  return true;
}

// The last reference list whose entries the text refers to.
void link_reference_lists(Blocks& blocks, Anchors& anchors) {
  for (std::size_t i = blocks.size(); i-- > 0;)
    if (is_note_title(blocks[i]) && link_reference_list(blocks, i, anchors)) return;
}

}  // namespace

void make_notes(Blocks& blocks, const std::string& article_name) {
  const std::string prefix = "n" + hash_hex(article_name).substr(0, 6);
  Anchors footnotes(prefix + "-fn");
  number_footnotes(blocks, footnotes);
  Anchors references(prefix + "-ref");
  link_reference_lists(blocks, references);
}

}  // namespace inkpack

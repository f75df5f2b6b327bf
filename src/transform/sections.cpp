#include "transform/sections.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "model/walk.hpp"
#include "transform/outline.hpp"
#include "model/labels.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

// Where `--explain` notes go: why each candidate line was or was not taken as a title.
constexpr const char* k_explain = "outline";

bool is_empty_heading(const Block& block) {
  return block.kind == BlockKind::heading && !has_visible_content(block.inlines);
}

// A heading's words, leaving out the alt text of images in it.
std::string heading_text(const Inlines& list) {
  std::string out;
  for_each_inline(list, [&](const Inline& node) {
    if (node.kind == InlineKind::image) return Walk::over;
    if (node.kind == InlineKind::text || node.kind == InlineKind::code) out += node.text;
    else if (node.kind == InlineKind::soft_break || node.kind == InlineKind::line_break) out += ' ';
    return Walk::into;
  });
  return out;
}

template <InlineTree Tree>
void collect_images(const Tree& tree, Inlines& images) {
  for_each_image(tree, [&](const Inline& image) { images.push_back(image); });
}

bool has_content(const Block& block) {
  return block.kind != BlockKind::paragraph || has_visible_content(block.inlines);
}

// Bold at the start of a line: strong spans separated only by spaces, as exporters split one
// bold run into several (`**今天** **我们**`).
struct BoldRun {
  std::size_t end;  // index after the last strong span
  std::string text;
  bool code = true;  // nothing but code in it: a command set bold, not a title
};

std::optional<BoldRun> bold_run_at(const Inlines& list, Line line) {
  std::size_t i = line.begin;
  while (i < line.end && is_blank(list[i])) ++i;
  if (i >= line.end || list[i].kind != InlineKind::strong) return std::nullopt;
  BoldRun run{i, {}};
  for (std::size_t k = i; k < line.end; ++k) {
    if (list[k].kind == InlineKind::strong) {
      run.text += heading_text(list[k].children);  // an image's alt text is not a title
      run.end = k + 1;
      run.code = run.code && std::all_of(list[k].children.begin(), list[k].children.end(),
                                         [](const Inline& c) { return c.kind == InlineKind::code || is_blank(c); });
    } else if (list[k].kind == InlineKind::text && trim(list[k].text).empty()) {
      run.text += list[k].text;
    } else {
      break;
    }
  }
  run.text = trim(run.text);
  return run;
}

bool is_opening_bracket(char32_t cp) {
  return std::u32string_view(U"《“‘「『（([【〈").find(cp) != std::u32string_view::npos;
}
bool is_closing_bracket(char32_t cp) {
  return std::u32string_view(U"》”’」』）)]】〉\"'").find(cp) != std::u32string_view::npos;
}

bool is_numeral(char32_t cp) {
  return (cp >= '0' && cp <= '9') || std::u32string_view(U"一二三四五六七八九十百零〇两").find(cp) != std::u32string_view::npos;
}

int numeral_value(std::u32string_view digits) {
  if (digits.empty()) return 0;
  if (digits[0] >= '0' && digits[0] <= '9') {
    int value = 0;
    for (char32_t d : digits) value = value * 10 + static_cast<int>(d - '0');
    return value;
  }
  static constexpr std::u32string_view k_units = U"零一二三四五六七八九";
  int value = 0, current = 0;
  for (char32_t d : digits) {
    if (d == U'十') {
      value += (current == 0 ? 1 : current) * 10;
      current = 0;
    } else if (d == U'两') {
      current = 2;
    } else if (d == U'〇') {
      current = 0;
    } else if (const std::size_t unit = k_units.find(d); unit != std::u32string_view::npos) {
      current = static_cast<int>(unit);
    }
  }
  return value + current;
}

}  // namespace

// The title without a leading section number (一、 1. 01 （二） 第三部分：), whose punctuation
// is not a sentence's, and which kind of number it was: a two-level outline numbers its items
// in one style and restarts under each group.
TitleNumber parse_number(const std::string& text) {
  std::u32string cps;
  for (std::size_t pos = 0; pos < text.size();) cps += next_code_point(text, pos);
  std::size_t i = 0;
  std::size_t digits_at = 0, digits_end = 0;
  const auto numerals = [&] {
    digits_at = i;
    const bool arabic = i < cps.size() && cps[i] >= '0' && cps[i] <= '9';
    while (i < cps.size() && is_numeral(cps[i]) && ((cps[i] >= '0' && cps[i] <= '9') == arabic)) ++i;
    digits_end = i;
    return i > digits_at;
  };
  const auto one_of = [&](std::u32string_view set) {
    if (i < cps.size() && set.find(cps[i]) != std::u32string_view::npos) return ++i, true;
    return false;
  };
  std::string style;
  if (one_of(U"第")) {
    if (numerals() && digits_end - digits_at <= 3 && one_of(U"章节篇回讲部")) style = "第";
    if (!style.empty() && i < cps.size() && cps[i] == U'分') ++i;
    one_of(U"：:、 ");
  } else if (one_of(U"（(")) {
    if (numerals() && digits_end - digits_at <= 3 && one_of(U"）)")) style = "()";
    one_of(U"、 ");
  } else if (numerals() && digits_end - digits_at <= 3) {  // 2024. is a year, not section 2024
    const bool arabic = cps[digits_at] >= '0' && cps[digits_at] <= '9';
    if (one_of(U"、.．")) {
      style = arabic ? "1." : "一、";
      // 2.1 and 2.1.1 are series of their own, numbered by their last part (2.1, 2.2, 3.1…).
      for (int parts = 2; arabic && i < cps.size() && cps[i] >= '0' && cps[i] <= '9'; ++parts) {
        numerals();
        style = parts == 2 ? "1.1" : "1.1.1";
        if (!one_of(U".．")) break;
      }
    } else if (arabic && digits_end - digits_at >= 2 && cps[digits_at] == '0' && one_of(U" \u3000")) style = "01";
  }
  std::string rest;
  for (std::size_t k = i; k < cps.size(); ++k) append_utf8(rest, cps[k]);
  rest = trim(rest);
  if (style.empty() || rest.empty()) return {text, {}, 0};  // 第三节 alone is a title in itself
  return {rest, style, numeral_value(std::u32string_view(cps).substr(digits_at, digits_end - digits_at))};
}

namespace {

// A number standing alone on its line (`**04**`, `01`, `第一`): a badge above the title it
// belongs to, or the title itself when the author gave none. Its value, or nullopt.
std::optional<int> badge_number(std::string text) {
  std::erase(text, '*');
  text = trim(text);
  std::u32string cps;
  for (std::size_t pos = 0; pos < text.size();) cps += next_code_point(text, pos);
  if (!cps.empty() && cps.front() == U'第') cps.erase(0, 1);
  while (!cps.empty() && std::u32string_view(U"、.．").find(cps.back()) != std::u32string_view::npos) cps.pop_back();
  if (cps.empty() || cps.size() > 3 || !std::all_of(cps.begin(), cps.end(), is_numeral)) return std::nullopt;
  const bool arabic = cps[0] >= '0' && cps[0] <= '9';
  if (!std::all_of(cps.begin(), cps.end(), [&](char32_t cp) { return (cp >= '0' && cp <= '9') == arabic; })) return std::nullopt;
  return numeral_value(cps);
}

bool is_number_badge(const std::string& text) { return badge_number(text).has_value(); }

// How a bold run reads: emphasis is a sentence or a clause; a title is a short name.
Form wording(const std::string& whole) {
  std::string text = parse_number(whole).rest;
  // `上篇：认识豆子`: a short label and a colon name a part, as a number would.
  for (std::string_view colon : {"：", ":"})
    if (const std::size_t at = text.find(colon); at != std::string::npos && at > 0 && count_code_points(text.substr(0, at)) <= 4)
      text = trim(text.substr(at + colon.size()));
  if (text.empty()) return Form::number_only;
  if (text.find(" / ") != std::string::npos) return Form::byline;
  if (text.starts_with("—") || text.starts_with("--")) return Form::attribution;
  if (std::u32string_view(U"↓⬇👇▼").find(last_code_point(text)) != std::u32string_view::npos) return Form::pointer;
  // A sentence mark anywhere makes a sentence, whatever commas come before it.
  bool has_word = false, clause = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = next_code_point(text, pos);
    if (is_sentence_end(cp) && (cp != '.' || pos == text.size())) return Form::sentence;
    clause = clause || std::u32string_view(U"，、：:|").find(cp) != std::u32string_view::npos;
    if (cp >= 0x80 ? !is_punctuation(cp) && !is_unicode_whitespace(cp)
                   : std::isalpha(static_cast<int>(cp)) != 0)
      has_word = true;
  }
  if (display_width(whole) > 40) return Form::too_long;
  if (clause) return Form::clause;
  return has_word ? Form::name : Form::no_words;
}

// The line before a title must end a sentence or be images (a divider, a number badge); a line
// ending mid-sentence means the bold word was broken out of that sentence.
bool line_ends_complete(const Inlines& list, Line line) {
  std::size_t i = line.end;
  while (i > line.begin && is_blank(list[i - 1])) --i;
  if (i == line.begin) return true;
  if (list[i - 1].kind == InlineKind::image) return true;
  std::string text = trim(text_of(list, line.begin, i));
  while (!text.empty() && is_closing_bracket(last_code_point(text))) {
    const char32_t last = last_code_point(text);
    std::string encoded;
    append_utf8(encoded, last);
    text.resize(text.size() - encoded.size());
  }
  return !text.empty() && is_sentence_end(last_code_point(text));
}

bool line_ends_with_image(const Inlines& list, Line line) {
  std::size_t i = line.end;
  while (i > line.begin && is_blank(list[i - 1])) --i;
  return i > line.begin && list[i - 1].kind == InlineKind::image;
}

// The first character a reader sees after position `from` on line `li`, or on the next line.
char32_t char_after(const Inlines& list, const std::vector<Line>& lines, std::size_t li,
                    std::size_t from) {
  const std::string rest = trim(text_of(list, from, lines[li].end));
  if (!rest.empty()) return first_code_point(rest);
  if (li + 1 < lines.size())
    return first_code_point(trim(text_of(list, lines[li + 1].begin, lines[li + 1].end)));
  return 0;
}

// Why the bold run starting line `li` cannot be a section title wherever it stands: it is part of
// a sentence around it. nullptr when it may be one.
const char* broken_out(const Inlines& list, const std::vector<Line>& lines, std::size_t li, const BoldRun& run) {
  const char32_t next = char_after(list, lines, li, run.end);
  if (next && is_punctuation(next) && !is_opening_bracket(next)) return "punctuation follows: part of a sentence";
  if (li > 0 && !line_ends_complete(list, lines[li - 1]) &&
      !is_number_badge(text_of(list, lines[li - 1].begin, lines[li - 1].end)))
    return "the line before ends mid-sentence: a word broken out of it";
  const Line line = lines[li];
  const bool alone = std::all_of(list.begin() + static_cast<std::ptrdiff_t>(run.end),
                                 list.begin() + static_cast<std::ptrdiff_t>(line.end), is_blank);
  if (alone) return nullptr;
  // Body text on the title's own line: only right after the section's images, and set apart
  // by a space, not more bold.
  if (li == 0 || !line_ends_with_image(list, lines[li - 1])) return "text follows on its line, and no image before it";
  const Inline& after = list[run.end];
  if (after.kind != InlineKind::text || !is_unicode_whitespace(first_code_point(after.text)))
    return "text follows on its line without a space";
  const auto body = std::find_if_not(list.begin() + static_cast<std::ptrdiff_t>(run.end),
                                     list.begin() + static_cast<std::ptrdiff_t>(line.end), is_blank);
  return body->kind == InlineKind::strong ? "more bold follows on its line" : nullptr;
}

// How much a reader has to look at: characters, and a picture (not a divider) as much as a
// line of text, so a section of photographs is not empty.
std::size_t content_size(const Inlines& list, std::size_t begin, std::size_t end) {
  constexpr std::size_t k_picture = 40;
  std::size_t size = count_code_points(trim(text_of(list, begin, end)));
  Inlines images;
  for (std::size_t i = begin; i < end; ++i) collect_images(list[i], images);
  for (const Inline& image : images) size += image.decorative ? 0 : k_picture;
  return size;
}

// A list's, quote's, table's or code block's share of the body: its text (and its pictures).
std::size_t block_size(const Block& block) {
  std::size_t size = 0;
  for_each_block(block, [&](const Block& b) { size += b.text.size() + content_size(b.inlines, 0, b.inlines.size()); });
  return size;
}

// Where a candidate stands in the body, so that the chosen titles can cut it there.
struct Place {
  std::size_t block;
  std::size_t line = 0;  // paragraph line
  std::size_t end = 0;   // first inline after the title on that line
  std::string words;     // the bold run as written (a label's colon kept)
  std::size_t body_end = 0;  // how much body there is up to the end of its line
  bool follows_badge = false;  // only marks (—) or dividers between it and a number badge above
  struct Line { std::size_t block, line, end; };
  std::optional<Line> second_line;  // where a title set over two lines goes on
};

// Every line that may be a title, in article order, with where it stands.
struct Candidates {
  std::vector<Candidate> list;
  std::vector<Place> places;
  std::size_t length = 0;  // how much body so far (content_size)
  std::size_t text = 0;    // characters of the author's paragraphs so far (not quotes, lists, pictures)
  bool divider = false;    // the last thing a reader saw was a divider image (or a badge below one)
  bool after_badge = false;  // a number badge, then only marks (—) or dividers so far

  void add(Candidate c, Place place) {
    place.follows_badge = after_badge;
    c.position = length;
    c.text_before = text;
    c.below_mark = divider;
    list.push_back(std::move(c));
    places.push_back(place);
  }
};

// Marks editors set before a title (▍ 前言) are not its words.
constexpr std::u32string_view k_title_marks = U"▍▌▎▏█■□▪▫●○◆◇◼◻★☆▶►▷➤❖✦|｜#";

// How many parts a leading outline number has: `3.` or `3 ` 1, `3.1` 2, `3.1.2` 3; 0 for none.
int outline_number(const std::string& text) {
  std::size_t i = 0;
  int parts = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i - start > 2) return 0;  // a year, not a section
    ++parts;
    if (i < text.size() && text[i] == '.') ++i;
    else break;
  }
  if (parts == 0) return 0;
  const bool ends = i < text.size() && (text[i] == ' ' || text[i - 1] == '.' || static_cast<unsigned char>(text[i]) >= 0x80);
  return ends ? parts : 0;
}

// A label numbered at its end (`问题1`, `Step 2`): its style is the label, its value the number.
TitleNumber trailing_number(const std::string& text) {
  constexpr std::size_t k_longest_label = 6;
  std::size_t digits = text.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(text[digits - 1]))) --digits;
  const std::string label = trim(text.substr(0, digits));
  if (digits == text.size() || text.size() - digits > 3 || label.empty() || count_code_points(label) > k_longest_label)
    return {text, {}, 0};
  return {text, label + " #", std::stoi(text.substr(digits))};
}

Candidate bold_candidate(std::string text) {
  Candidate c;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t at = pos;
    const char32_t cp = next_code_point(text, at);
    if (k_title_marks.find(cp) == std::u32string_view::npos) break;
    c.decoration.append(text, pos, at - pos);
    pos = at;
  }
  text = trim(text.substr(pos));
  bool label = false;  // `设计说明：` introduces what follows; only a numbered series makes it a title
  for (std::string_view colon : {"：", ":"})
    if (text.size() > colon.size() && text.ends_with(colon)) {
      text = trim(text.substr(0, text.size() - colon.size()));
      label = true;
    }
  TitleNumber number = parse_number(text);
  if (number.style.empty()) number = trailing_number(text);
  c.text = text;
  c.number_style = number.style;
  c.number = number.value;
  c.outline_number = outline_number(text);
  c.form = wording(text);
  if (c.form == Form::name && label) c.form = Form::label;
  // One short sentence with its end mark only (`先了解一下DC。`, `为什么要引入DC？`).
  constexpr std::size_t k_short = 20;
  if (c.form == Form::sentence && display_width(text) <= k_short) {
    std::string bare = text;
    while (!bare.empty() && is_sentence_end(last_code_point(bare))) {
      std::string mark;
      append_utf8(mark, last_code_point(bare));
      bare.resize(bare.size() - mark.size());
    }
    c.short_sentence = !bare.empty() && wording(bare) == Form::name;
  }
  c.statement = !text.empty() && std::u32string_view(U"。；;，,、").find(last_code_point(text)) != std::u32string_view::npos;
  c.question = c.form == Form::sentence && (text.ends_with("？") || text.ends_with("?"));
  if (const std::optional<int> badge = badge_number(text)) {
    std::erase(c.text, '*');
    c.text = trim(c.text);
    c.markup = Candidate::Markup::badge;
    c.number = *badge;
  }
  return c;
}

// Nothing but marks between a badge and its title (—, ···): no words, no number.
bool only_marks(const std::string& text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = next_code_point(text, pos);
    if (!is_punctuation(cp) && !is_unicode_whitespace(cp)) return false;
  }
  return true;
}

void collect_lines(const Inlines& list, std::size_t block, const SectionOverride& override_, Candidates& out,
                   Diagnostics& diags) {
  const std::vector<Line> lines = lines_of(list);
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const std::string whole = trim(text_of(list, lines[li].begin, lines[li].end));
    const std::optional<BoldRun> run = bold_run_at(list, lines[li]);
    if (!override_.empty()) {
      if (run && override_.matches(run->text)) out.add({.text = run->text}, {block, li, run->end});
      else if (!whole.empty() && override_.matches(whole)) out.add({.text = whole}, {block, li, lines[li].end});
    } else if (run && !run->text.empty()) {
      if (run->code) diags.note(k_explain, "not a title: code set bold", run->text);
      else if (const char* why = broken_out(list, lines, li, *run)) diags.note(k_explain, std::string("not a title: ") + why, run->text);
      else out.add(bold_candidate(run->text), {block, li, run->end, run->text});
    } else if (is_number_badge(whole) && count_code_points(trim(plain_text(list))) == count_code_points(whole)) {
      out.add(bold_candidate(whole), {block, li, lines[li].end, whole});  // a badge set in colour, not bold
    } else if (lines.size() == 1 && wording(whole) == Form::name &&
               (out.after_badge || parse_number(whole).style == "一、")) {
      // Plain, set apart by its badge (01 / — / 逆向目标) or by its own 一、 numbering: a line
      // alone that counts the article's parts is its title, bold or not.
      Candidate plain = bold_candidate(whole);
      plain.plain = true;
      out.add(std::move(plain), {block, li, lines[li].end, whole});
    }
    const bool badge_line = is_number_badge(whole);
    out.after_badge = badge_line || (out.after_badge && only_marks(whole));
    const bool added = !out.places.empty() && out.places.back().block == block && out.places.back().line == li;
    out.length += content_size(list, lines[li].begin, lines[li].end);
    if (added) out.places.back().body_end = out.length;
    out.text += count_code_points(whole);
    if (!whole.empty() && !is_number_badge(whole)) out.divider = false;
    else if (whole.empty() && line_ends_with_image(list, lines[li])) out.divider = list[lines[li].end - 1].decorative;
  }
}

Candidates collect(const Blocks& blocks, const SectionOverride& override_, Diagnostics& diags) {
  Candidates out;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const Block& block = blocks[b];
    if (block.kind == BlockKind::heading && !is_empty_heading(block)) {
      const std::string text = trim(heading_text(block.inlines));
      if (text.empty()) continue;
      if (!override_.empty() && !override_.matches(text)) continue;
      const TitleNumber number = parse_number(text);
      out.add({.markup = Candidate::Markup::heading, .level = block.level, .text = text, .number_style = number.style,
               .number = number.value, .outline_number = outline_number(text)}, {b});
      out.length += count_code_points(text);
      out.text += count_code_points(text);
      out.divider = false;
      out.after_badge = false;
    } else if (block.kind == BlockKind::paragraph) {
      collect_lines(block.inlines, b, override_, out, diags);
    } else if (block.kind == BlockKind::figure) {
      out.divider = !block.inlines.empty() && block.inlines.back().decorative;
      out.length += content_size(block.inlines, 0, block.inlines.size());
    } else {
      out.length += block_size(block);
      out.divider = false;
      out.after_badge = block.kind == BlockKind::thematic_break && out.after_badge;
    }
  }
  return out;
}

// A badge directly above a line that reads as a title is that title's number, not a title of its
// own; above a bold statement (a lead, not a title) it stays the section's only title.
// Removes the candidates marked `gone` in one pass, so that many removals stay linear.
void remove_marked(Candidates& found, const std::vector<bool>& gone) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < found.list.size(); ++i) {
    if (gone[i]) continue;
    if (kept != i) {  // a string moved onto itself may be left empty
      found.list[kept] = std::move(found.list[i]);
      found.places[kept] = std::move(found.places[i]);
    }
    ++kept;
  }
  found.list.resize(kept);
  found.places.resize(kept);
}

void drop_badges_before_titles(Candidates& found) {
  std::vector<bool> gone(found.list.size());
  for (std::size_t i = 0; i + 1 < found.list.size(); ++i) {
    const bool above_title = found.list[i].markup == Candidate::Markup::badge &&
                             found.list[i + 1].markup != Candidate::Markup::badge &&
                             found.list[i + 1].reads_as_title() &&
                             (found.list[i + 1].position <= found.places[i].body_end || found.places[i + 1].follows_badge);
    if (!above_title) continue;
    found.list[i + 1].below_mark = true;
    gone[i] = true;
  }
  remove_marked(found, gone);
}

// Two bold lines with nothing between them: one title the editor set over two lines when the
// first is a label going on in the second (`开闭原则：` / `对扩展开放，对修改关闭`), or when the
// article sets two or more of its titles as a couplet, two names of about one length (`时间不是问题`
// / `问题是我们不肯开始`); a single pair of names is a title and the first part under it, and
// three names stacked are a tagline or a verse.
void join_two_line_titles(Candidates& found) {
  constexpr int k_widest = 60;
  const auto next_follows = [&](std::size_t i) {
    return i + 1 < found.list.size() && found.list[i].markup == Candidate::Markup::bold &&
           found.list[i + 1].markup == Candidate::Markup::bold && found.list[i + 1].position == found.places[i].body_end;
  };
  const auto pair_at = [&](std::size_t i) {
    if (!next_follows(i)) return false;
    const Candidate& first = found.list[i];
    const Candidate& second = found.list[i + 1];
    const bool stacked = next_follows(i + 1) || (i > 0 && next_follows(i - 1));
    // A numbered second line starts a title of its own: 一、 above （一）.
    const bool continues = (second.form == Form::name || second.form == Form::clause || second.short_sentence) && second.number_style.empty();
    // A couplet's lines are balanced; a short title over a long line is a title and a subtitle.
    const std::size_t a = display_width(first.text), b = display_width(second.text);
    const bool couplet = first.form == Form::name && !stacked && 2 * std::max(a, b) <= 3 * std::min(a, b);
    return (first.form == Form::label || couplet) && continues &&
           display_width(found.places[i].words + found.places[i + 1].words) <= k_widest;
  };
  std::size_t named_pairs = 0;
  for (std::size_t i = 0; i + 1 < found.list.size(); ++i) named_pairs += pair_at(i) && found.list[i].form == Form::name;
  std::vector<bool> gone(found.list.size());
  for (std::size_t i = 0; i + 1 < found.list.size(); ++i) {
    if (!pair_at(i) || (found.list[i].form != Form::label && named_pairs < 2)) continue;
    const Candidate& first = found.list[i];
    Candidate title = bold_candidate(found.places[i].words + (first.form == Form::label ? "" : " ") + found.places[i + 1].words);
    title.position = first.position;
    title.text_before = first.text_before;
    title.below_mark = first.below_mark;
    found.list[i] = std::move(title);
    const Place second = found.places[i + 1];
    found.places[i].second_line = Place::Line{second.block, second.line, second.end};
    found.places[i].body_end = second.body_end;
    gone[++i] = true;
  }
  remove_marked(found, gone);
}

// The chosen titles by where they stand: block → line → (end, title, depth; 0 for the second
// line of a title set over two).
struct Cut {
  std::size_t line, end;
  std::string title;
  int depth;
};
using Cuts = std::map<std::size_t, std::vector<Cut>>;

Cuts choose_cuts(const Blocks& blocks, const SectionOverride& override_, Diagnostics& diags) {
  Candidates found = collect(blocks, override_, diags);
  Cuts cuts;
  if (!override_.empty()) {
    drop_badges_before_titles(found);
    for (std::size_t i = 0; i < found.list.size(); ++i)
      cuts[found.places[i].block].push_back({found.places[i].line, found.places[i].end, found.list[i].text, 1});
    return cuts;
  }
  join_two_line_titles(found);
  drop_badges_before_titles(found);
  const OutlineChoice choice = choose_outline(found.list, found.length);
  for (std::size_t i = 0; i < found.list.size(); ++i) {
    const Place& place = found.places[i];
    diags.note(k_explain, choice.why[i] + (place.second_line ? " (set over two lines)" : ""), found.list[i].text);
    if (choice.depth[i] == 0) continue;
    cuts[place.block].push_back({place.line, place.end, found.list[i].text, choice.depth[i]});
    if (place.second_line) cuts[place.second_line->block].push_back({place.second_line->line, place.second_line->end, {}, 0});
  }
  return cuts;
}

// The body as a flat sequence: blocks, section titles found in or as blocks, and the empty
// headings that exporters leave as boundaries.
struct Piece {
  enum class Kind { block, title, boundary } kind;
  Block content;
  std::string title;
  int depth = 1;
};

// Removes a number badge that is the last line of `list`.
bool drop_trailing_badge(Inlines& list, Diagnostics& diags) {
  if (list.empty()) return false;
  const std::vector<Line> lines = lines_of(list);
  const Line last = lines.back();
  const std::string text = trim(text_of(list, last.begin, last.end));
  if (!is_number_badge(text) || !has_visible_content(list)) return false;
  diags.note(k_explain, "a number badge above the next title: dropped", text);
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(last.begin > 0 ? last.begin - 1 : 0), list.end());
  return true;
}

// A badge in a paragraph of its own, maybe with the section's divider image or a mark (—)
// after it; the marks go with the badge.
void drop_badge_before(std::vector<Piece>& pieces, Diagnostics& diags) {
  std::vector<std::size_t> marks;  // last first
  for (std::size_t i = pieces.size(); i-- > 0;) {
    Piece& piece = pieces[i];
    if (piece.kind != Piece::Kind::block || piece.content.kind != BlockKind::paragraph) return;
    Inlines images;
    collect_images(piece.content.inlines, images);
    const std::string text = trim(heading_text(piece.content.inlines));
    if (!images.empty() && text.empty()) continue;
    if (images.empty() && !text.empty() && only_marks(text)) {
      marks.push_back(i);
      continue;
    }
    if (!drop_trailing_badge(piece.content.inlines, diags)) return;
    for (std::size_t mark : marks) pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(mark));
    if (!has_visible_content(piece.content.inlines)) pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i));
    return;
  }
}

// Cuts a paragraph at its title lines, last first, so that the earlier lines keep their places.
void split_paragraph(Block paragraph, const std::vector<Cut>& cuts, std::vector<Piece>& out, Diagnostics& diags) {
  Inlines& list = paragraph.inlines;
  const std::vector<Line> lines = lines_of(list);
  std::vector<Piece> tail;  // what follows the first title, in reverse order
  for (auto cut = cuts.rbegin(); cut != cuts.rend(); ++cut) {
    const Line line = lines[cut->line];
    Inlines before(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(line.begin));
    if (!before.empty()) before.pop_back();  // the line break before the title
    // Images closing the previous line are the new section's divider or number badge; a
    // number alone on its line is the title's badge, which the TOC numbers anyway.
    Inlines moved;
    for (bool changed = true; changed;) {
      changed = false;
      while (!before.empty() && (before.back().kind == InlineKind::image || is_blank(before.back()))) {
        if (before.back().kind == InlineKind::image) moved.insert(moved.begin(), before.back());
        before.pop_back();
        changed = true;
      }
      changed = drop_trailing_badge(before, diags) || changed;
    }
    Block rest{BlockKind::paragraph};
    rest.inlines = std::move(moved);
    if (!rest.inlines.empty()) rest.inlines.push_back({InlineKind::soft_break, {}, {}, {}, {}, {}});
    rest.inlines.insert(rest.inlines.end(), std::make_move_iterator(list.begin() + static_cast<std::ptrdiff_t>(cut->end)),
                        std::make_move_iterator(list.end()));
    if (has_content(rest) && has_visible_content(rest.inlines)) tail.push_back({Piece::Kind::block, std::move(rest), {}});
    if (cut->depth > 0) tail.push_back({Piece::Kind::title, {}, cut->title, cut->depth});  // 0: a title's second line
    list = std::move(before);
  }
  // Only a title opening its paragraph can have its badge in the paragraphs before.
  if (!cuts.empty() && !has_visible_content(list)) drop_badge_before(out, diags);
  if (has_content(paragraph)) out.push_back({Piece::Kind::block, std::move(paragraph), {}});
  out.insert(out.end(), std::make_move_iterator(tail.rbegin()), std::make_move_iterator(tail.rend()));
}

int top_title_depth_level(const Blocks& blocks, const Cuts& cuts) {
  int level = 0;
  for (const auto& [b, list] : cuts)
    if (blocks[b].kind == BlockKind::heading && list.front().depth == 1)
      level = level == 0 ? blocks[b].level : std::min(level, blocks[b].level);
  return level;
}

std::vector<Piece> flatten(Blocks& blocks, const SectionOverride& override_, Diagnostics& diags) {
  const Cuts cuts = choose_cuts(blocks, override_, diags);
  const int section_level = top_title_depth_level(blocks, cuts);
  std::vector<Piece> pieces;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    Block& block = blocks[b];
    const auto cut = cuts.find(b);
    if (is_empty_heading(block)) {
      diags.note(k_explain, "an empty heading: a boundary, not a section", std::string(static_cast<std::size_t>(block.level), '#'));
      pieces.push_back({Piece::Kind::boundary, {}, {}});
    } else if (block.kind == BlockKind::heading) {
      Block images{BlockKind::paragraph};
      collect_images(block.inlines, images.inlines);
      if (trim(heading_text(block.inlines)).empty()) {  // a banner image set as a heading
        pieces.push_back({Piece::Kind::block, std::move(images), {}});
      } else if (cut != cuts.end()) {
        pieces.push_back({Piece::Kind::title, {}, cut->second.front().title, cut->second.front().depth});
        if (!images.inlines.empty()) pieces.push_back({Piece::Kind::block, std::move(images), {}});
      } else {
        const int shift = section_level > 0 ? section_level - 1 : 0;
        block.level = std::clamp(block.level - shift + 1, 2, 6);
        pieces.push_back({Piece::Kind::block, std::move(block), {}});
      }
    } else if (block.kind == BlockKind::paragraph && cut != cuts.end()) {
      split_paragraph(std::move(block), cut->second, pieces, diags);
    } else {
      pieces.push_back({Piece::Kind::block, std::move(block), {}});
    }
  }
  return pieces;
}


// A paragraph of decorative images only: a divider between sections.
bool is_divider(const Block& block) {
  if (block.kind != BlockKind::paragraph || !trim(heading_text(block.inlines)).empty()) return false;
  Inlines images;
  collect_images(block.inlines, images);
  return !images.empty() && std::all_of(images.begin(), images.end(), [](const Inline& i) { return i.decorative; });
}

bool is_title_heading(const Block& b) {
  return b.kind == BlockKind::heading && b.level == 1 && !trim(heading_text(b.inlines)).empty();
}

// A paragraph of links and nothing else: a page's navigation (Next, 返回列表).
bool only_links(const Block& b) {
  return b.kind == BlockKind::paragraph && has_visible_content(b.inlines) &&
         std::all_of(b.inlines.begin(), b.inlines.end(), [](const Inline& i) { return i.kind == InlineKind::link || is_blank(i); });
}

// What may stand above an article's `#` title: an exporter's banner or a source link in a quote,
// a rule, a cover picture, a page's navigation links.
bool is_banner(const Block& b) {
  return b.kind == BlockKind::quote || b.kind == BlockKind::thematic_break || b.kind == BlockKind::figure ||
         (b.kind == BlockKind::paragraph && trim(heading_text(b.inlines)).empty()) || only_links(b);
}

// The article's own `#` title: the first `#` heading, below at most a banner, when no other `#`
// heading competes with it, or when what follows it up to the next one is only a byline or a
// banner (`# 标题` / 原创 作者 / `# Part 1`): a section would have a body.
void take_title(Document& doc) {
  constexpr std::size_t k_banner_blocks = 3;
  constexpr std::size_t k_byline_characters = 200;
  std::size_t at = 0;
  while (at < doc.blocks.size() && at < k_banner_blocks && is_banner(doc.blocks[at])) ++at;
  if (at == doc.blocks.size() || !is_title_heading(doc.blocks[at])) return;
  std::size_t between = 0;
  for (std::size_t i = at + 1; i < doc.blocks.size() && !is_title_heading(doc.blocks[i]); ++i)
    between += count_code_points(plain_text(doc.blocks[i].inlines));
  const bool alone = std::none_of(doc.blocks.begin() + static_cast<std::ptrdiff_t>(at) + 1, doc.blocks.end(), is_title_heading);
  if (!alone && between > k_byline_characters) return;
  if (doc.meta.title.empty()) doc.meta.title = trim(heading_text(doc.blocks[at].inlines));
  doc.blocks.erase(doc.blocks.begin() + static_cast<std::ptrdiff_t>(at));
}

// Whether titles numbered in `style` restart their numbering, each time after a title of another
// kind: the mark of items under group titles.
bool restarts_under_groups(const std::vector<Section>& sections, const std::string& style) {
  int last = 0, restarts = 0;
  bool other_between = false;
  for (const Section& section : sections) {
    const TitleNumber number = parse_number(section.title);
    if (number.style != style) {
      other_between = true;
      continue;
    }
    if (number.value <= last) {
      if (!other_between) return false;
      ++restarts;
    }
    last = number.value;
    other_between = false;
  }
  return restarts > 0;
}

// Two-level outlines: group titles (上篇：…, 第一部分 …) over numbered items (1. … 2. …) that
// restart under each group. A title directly followed by items is their group.
void nest_numbered_items(std::vector<Section>& sections, Diagnostics& diags) {
  std::string style;
  std::set<std::string> tried;
  for (const Section& section : sections)
    if (const std::string s = parse_number(section.title).style; !s.empty() && tried.insert(s).second &&
                                                                 restarts_under_groups(sections, s)) {
      style = s;
      break;
    }
  if (style.empty()) return;
  // The untitled opening and closing parts are the article's, not groups.
  const auto can_group = [](const Section& s) { return s.role == SectionRole::titled; };
  bool in_group = false;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (parse_number(sections[i].title).style == style) {
      sections[i].depth = in_group ? 2 : 1;
      if (in_group) diags.note(k_explain, "nested: numbered items restart under each group title", sections[i].title);
    } else {
      in_group = can_group(sections[i]) && i + 1 < sections.size() && parse_number(sections[i + 1].title).style == style;
      if (in_group) diags.note(k_explain, "a group title: numbered items follow it", sections[i].title);
    }
  }
}

std::string slug(const std::string& text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(text, pos);
    if (cp < 0x80) {
      if (std::isalnum(static_cast<int>(cp)) || cp == '-' || cp == '_')
        out += static_cast<char>(std::tolower(static_cast<int>(cp)));
      else if (cp == ' ')
        out += '-';
    } else if (!is_punctuation(cp) && !is_unicode_whitespace(cp)) {
      out.append(text, start, pos - start);
    }
  }
  return out;
}

std::wstring to_wide(const std::string& text) {
  std::wstring out;
  for (std::size_t pos = 0; pos < text.size();) out += static_cast<wchar_t>(next_code_point(text, pos));
  return out;
}

}  // namespace

bool SectionOverride::matches(const std::string& text) const {
  // Titles are short; libstdc++'s regex recurses per character and would overflow the stack
  // on a long paragraph.
  constexpr std::size_t k_longest_title = 200;
  if (pattern) return count_code_points(text) <= k_longest_title && std::regex_search(to_wide(text), *pattern);
  return std::find(titles.begin(), titles.end(), text) != titles.end();
}

Expected<SectionOverride> parse_section_override(const std::vector<std::string>& values) {
  SectionOverride result;
  if (values.size() == 1 && values[0].size() >= 2 && values[0].front() == '/' &&
      values[0].back() == '/') {
    try {
      result.pattern = std::wregex(to_wide(values[0].substr(1, values[0].size() - 2)));
    } catch (const std::regex_error& e) {
      return fail("--sections " + values[0] + ": not a regular expression (" + e.what() +
                      "); fix it, or give the titles themselves: --sections 'Title one,Title two'",
                  ErrorKind::usage);
    }
    return result;
  }
  for (const std::string& value : values) {
    for (std::size_t start = 0; start <= value.size();) {
      std::size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      if (std::string title = trim(value.substr(start, comma - start)); !title.empty())
        result.titles.push_back(std::move(title));
      start = comma + 1;
    }
  }
  return result;
}

void split_sections(Document& doc, const SectionOverride& override_, Diagnostics& diags) {
  take_title(doc);
  std::vector<Piece> pieces = flatten(doc.blocks, override_, diags);
  doc.blocks.clear();

  const auto last_title = std::find_if(pieces.rbegin(), pieces.rend(),
                                       [](const Piece& p) { return p.kind == Piece::Kind::title; });
  std::size_t closing = pieces.size();
  if (last_title != pieces.rend()) {
    const auto from = static_cast<std::size_t>(pieces.rend() - last_title);
    for (std::size_t i = from; i < pieces.size(); ++i) {
      if (pieces[i].kind != Piece::Kind::boundary) continue;
      const bool text_follows = std::any_of(pieces.begin() + static_cast<std::ptrdiff_t>(i), pieces.end(),
                                            [](const Piece& p) { return p.kind == Piece::Kind::block; });
      if (text_follows) closing = i;
      break;
    }
  }

  const std::string& lang = doc.meta.language;
  std::vector<Section> sections;
  Section current = last_title == pieces.rend()
                        ? Section{.title = doc.meta.title, .role = SectionRole::article}
                        : Section{.title = label(lang, Label::opening), .role = SectionRole::opening};
  bool titled = false;  // a titled section stays even if empty: the author or the user named it
  const auto finish = [&] {
    if (titled || !current.blocks.empty()) sections.push_back(std::move(current));
  };
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    Piece& piece = pieces[i];
    if (i == closing) {
      finish();
      current = Section{.title = label(lang, Label::closing), .role = SectionRole::closing};
      titled = false;
    }
    if (piece.kind == Piece::Kind::title && sections.empty() && !titled && piece.title == current.title) {
      titled = true;  // the author's own opening (Introduction, 引言): the text above it is its start
      current.role = SectionRole::titled;
    } else if (piece.kind == Piece::Kind::title) {
      // A divider standing just above the title opens the new section, not closes the last.
      Blocks dividers;
      while (!current.blocks.empty() && is_divider(current.blocks.back())) {
        dividers.insert(dividers.begin(), std::move(current.blocks.back()));
        current.blocks.pop_back();
      }
      finish();
      current = Section{.title = piece.title, .blocks = std::move(dividers), .depth = piece.depth};
      titled = true;
    } else if (piece.kind == Piece::Kind::block) {
      current.blocks.push_back(std::move(piece.content));
    }
  }
  finish();
  const bool nested = std::any_of(sections.begin(), sections.end(), [](const Section& s) { return s.depth > 1; });
  if (override_.empty() && !nested) nest_numbered_items(sections, diags);
  doc.sections = std::move(sections);

  if (!override_.titles.empty())
    for (const std::string& wanted : override_.titles)
      if (std::none_of(doc.sections.begin(), doc.sections.end(),
                       [&](const Section& s) { return s.title == wanted; }))
        diags.warn("--sections", "no section has this title", wanted);
}

std::map<std::string, std::string> assign_ids(Document& doc) {
  std::map<std::string, std::string> anchors;
  int headings = 0;
  const auto remember = [&](const std::string& text, const std::string& id) {
    anchors.emplace(slug(text), id);
    anchors.emplace(text, id);
  };
  for (std::size_t i = 0; i < doc.sections.size(); ++i) {
    Section& section = doc.sections[i];
    section.id = "sec-" + std::to_string(i + 1);
    remember(section.title, section.id);
    for (Block& block : section.blocks) {
      if (block.kind != BlockKind::heading) continue;
      block.id = "h-" + std::to_string(++headings);
      remember(trim(plain_text(block.inlines)), block.id);
    }
  }
  return anchors;
}

}  // namespace inkpack

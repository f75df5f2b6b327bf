#include "transform/prompts.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "util/text.hpp"

namespace inkpack {
namespace {

// Asking the reader to act on the account, whatever else the clause holds.
constexpr std::array<std::string_view, 22> k_calls = {
    "关注", "订阅", "星标", "置顶", "点赞", "在看", "转发", "打赏", "赞赏", "留言", "阅读原文", "后台回复",
    "防走失", "防失联", "分享给", "分享到", "一键三连", "进群", "加群", "添加微信", "加微信", "subscribe"};
// Verbs that are prose too (扫描端口, 添加依赖, 点击保存): a call only in a line that names the
// chrome (识别：二维码, 点击下方名片).
constexpr std::array<std::string_view, 10> k_pointing_calls = {
    "加入", "添加", "扫描", "扫码", "长按", "识别", "点击", "戳", "分享", "回复"};
// What only an account's or a site's chrome is.
constexpr std::array<std::string_view, 24> k_chrome = {
    "星标", "置顶", "蓝字", "名片", "二维码", "扫码", "扫一扫", "公众号", "小程序", "视频号", "读者群", "交流群",
    "粉丝群", "社群", "星球", "在看", "防走失", "防失联", "小助手", "本号", "本平台", "关注我们", "阅读原文", "进群"};
// Where a call points (记得点击上方《X》关注): strong beside a call, not beside a tutorial's 点击.
constexpr std::array<std::string_view, 2> k_directions = {"上方", "下方"};
constexpr std::array<std::string_view, 10> k_arrows = {"↑", "↓", "▲", "▼", "⬆", "⬇", "👆", "👇", "☝", "→"};
// Clauses that frame a call: a condition, a request, thanks (如果觉得有用的话，感谢阅读).
constexpr std::array<std::string_view, 15> k_frame_starts = {
    "如果", "如有", "要是", "若", "假如", "喜欢", "觉得", "记得", "别忘", "欢迎", "请", "感谢", "谢谢", "点击", "戳"};
// A reading list's title: a qualifier, then what is listed (往期精彩回顾, 热文推荐, 更多热门文章).
constexpr std::array<std::string_view, 12> k_list_qualifiers = {
    "往期", "历史", "推荐", "相关", "延伸", "更多", "热门", "精彩", "近期", "热文", "好文", "精选"};
constexpr std::array<std::string_view, 7> k_listed = {"回顾", "推荐", "阅读", "文章", "精选", "热文", "好文"};
constexpr std::array<std::string_view, 5> k_reading_lists = {
    "猜你喜欢", "relatedposts", "relatedarticles", "recommendedreading", "youmayalsolike"};
constexpr std::array<std::string_view, 9> k_end_marks = {"end", "theend", "eof", "fin", "完", "全文完", "本文完",
                                                        "正文完", "完结"};
constexpr std::array<std::string_view, 13> k_contact_labels = {
    "邮箱", "微信", "电话", "手机", "qq", "合作", "投稿", "商务", "联系", "email", "e-mail", "wechat", "vx"};

bool has(std::string_view text, const auto& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return text.find(w) != std::string_view::npos; });
}

// Letters, digits and CJK only, ASCII lower-cased: `— THE END —` → `theend`, `往 期 热 文` → `往期热文`.
std::string bare(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(text, pos);
    if (cp < 0x80 ? std::isalnum(static_cast<int>(cp)) != 0 : is_cjk(cp) && !is_punctuation(cp))
      out += ascii_lower(text.substr(start, pos - start));
  }
  return out;
}

// Clauses: split at punctuation, and at spaces in Chinese (关注军旅 关注人生). Runs of symbols
// alone (●, ↓ ↓ ↓) are no clause.
std::vector<std::string> clauses_of(std::string_view text) {
  const bool chinese = std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE3; });
  std::vector<std::string> out;
  std::string current;
  const auto flush = [&] {
    if (!bare(current).empty()) out.push_back(trim(current));
    current.clear();
  };
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(text, pos);
    const bool breaks = (is_punctuation(cp) && cp != '-' && cp != '.' && cp != '@' && cp != '_' && cp != '/') ||
                        (chinese && is_unicode_whitespace(cp));
    if (breaks) flush();
    else current.append(text.substr(start, pos - start));
  }
  flush();
  return out;
}

bool starts_with_any(std::string_view text, const auto& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return text.starts_with(w); });
}

// 关注「兵兵亮」: a call to follow an account named in quotes.
bool follows_named_account(std::string_view text) {
  for (std::string_view quote : {"关注「", "关注“", "关注《", "关注『", "关注\""})
    if (text.find(quote) != std::string_view::npos) return true;
  return false;
}

// `chrome`: the line names the chrome; `pointed`: it points up or down (上方, ↓); `arrows`: with
// an arrow (请戳👇), as chrome does and a tutorial's text does not.
Call clause_call(const std::string& clause, bool chrome, bool pointed, bool arrows) {
  const std::string lower = ascii_lower(clause);
  if (has(lower, k_calls)) return chrome || pointed ? Call::strong : Call::weak;
  return has(lower, k_pointing_calls) && (chrome || arrows) ? Call::strong : Call::none;
}

}  // namespace

Call call_of(std::string_view text) {
  const bool arrows = has(text, k_arrows);
  const bool pointed = arrows || has(text, k_directions);
  const bool chrome = has(ascii_lower(text), k_chrome);
  const std::vector<std::string> clauses = clauses_of(text);
  std::size_t total = 0, calling = 0;
  Call strongest = Call::none;
  bool first_strong = false;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const std::string& clause = clauses[i];
    Call call = clause_call(clause, chrome, pointed, arrows);
    if (call == Call::weak && follows_named_account(text)) call = Call::strong;
    const std::size_t width = display_width(clause);
    total += width;
    // A clause pointing at the chrome (点一下上方蓝字) is the prompt's too.
    if (call != Call::none || has(ascii_lower(clause), k_chrome) || has(clause, k_directions) ||
        starts_with_any(clause, k_frame_starts) ||
        clause.find("的话") != std::string::npos)
      calling += width;
    strongest = std::max(strongest, call);
    if (i == 0) first_strong = call == Call::strong;
  }
  if (strongest == Call::none) return Call::none;
  if (first_strong || (strongest == Call::strong && arrows)) return Call::strong;
  return calling * 2 >= total ? strongest : Call::none;
}

bool has_words(std::string_view text) { return !bare(text).empty(); }

bool is_badge(std::string_view text) {
  constexpr std::array<std::string_view, 10> k_numerals = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  const std::string b = bare(text);
  const bool digits = !b.empty() && b.size() <= 2 && std::all_of(b.begin(), b.end(), [](char c) { return c >= '0' && c <= '9'; });
  return display_width(text) <= 6 && (digits || std::find(k_numerals.begin(), k_numerals.end(), b) != k_numerals.end());
}

bool is_reading_list_title(std::string_view text) {
  constexpr std::size_t k_longest = 24;       // 推荐阅读  点击标题可跳转
  constexpr std::size_t k_longest_title = 8;  // characters of the title itself
  if (display_width(text) > k_longest) return false;
  const std::vector<std::string> clauses = clauses_of(text);
  if (clauses.empty()) return false;
  if (starts_with_any(bare(text), k_reading_lists)) return true;
  // The title is the whole line or its first clause, whole (往 期 热 文; 推荐阅读 点击标题可跳转):
  // 推荐文章写作的三个技巧 is an author's heading.
  const auto is_title = [&](const std::string& title) {
    return count_code_points(title) <= k_longest_title && starts_with_any(title, k_list_qualifiers) &&
           std::any_of(k_listed.begin(), k_listed.end(), [&](std::string_view w) { return title.ends_with(w); });
  };
  return is_title(bare(text)) || is_title(bare(clauses.front()));
}

bool is_end_mark(std::string_view text) {
  constexpr std::size_t k_longest = 20;
  const std::string b = bare(text);
  // `end` or `fin` alone in lower case is a line of code or of a configuration, not a mark.
  const bool lower_word = trim(text) == b && std::all_of(b.begin(), b.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  return display_width(text) <= k_longest && !lower_word &&
         std::find(k_end_marks.begin(), k_end_marks.end(), b) != k_end_marks.end();
}

bool is_contact_line(std::string_view text) {
  constexpr std::size_t k_longest_label = 12;
  std::size_t colon = text.find("：");
  std::size_t value_at = colon + std::string_view("：").size();
  if (colon == std::string_view::npos) {
    colon = text.find(':');
    value_at = colon + 1;
  }
  if (colon == std::string_view::npos || display_width(text.substr(0, colon)) > k_longest_label) return false;
  const std::string label = ascii_lower(text.substr(0, colon));
  const std::string value = trim(text.substr(value_at));
  // An address, a number or an id: ASCII without spaces.
  const bool id = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !std::isspace(static_cast<unsigned char>(c));
  });
  return id && has(label, k_contact_labels);
}

}  // namespace inkpack

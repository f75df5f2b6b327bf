#pragma once
// The shapes of what an account or a site writes around an article, judged on one line of text:
// calls to follow, share or scan; titles of reading lists; end marks; contact lines. Where such a
// line may be left out (its position) is for extras.cpp to decide.
#include <string_view>

namespace inkpack {

enum class Call {
  none,
  weak,    ///< asks the reader to act (关注X，…) but could be prose
  strong,  ///< points at WeChat's or a site's chrome (星标, 蓝字, 名片, 二维码, ↓) or at the account
};

/// Whether a short line asks the reader to follow, share, like, scan or join, rather than say
/// something: judged by its clauses, so an author's sentence that ends with 欢迎关注 is not one.
Call call_of(std::string_view text);

/// 推荐阅读, 往期回顾, 历史文章, Related posts: the title over a list of other posts.
bool is_reading_list_title(std::string_view text);

/// END, - END -, — THE END —, (完), 全文完: the author's mark that the article is over.
bool is_end_mark(std::string_view text);

/// 投稿邮箱：a@b.com, 小编微信：id, 合作电话：123: the account's contact card, one line each.
bool is_contact_line(std::string_view text);

/// Whether the text holds a letter, a digit or a CJK character: `▼`, `● ● ●` or `↓ ↓ ↓` alone do not.
bool has_words(std::string_view text);

/// `05`, `3.`, `四`: a section's number standing alone, the article's structure.
bool is_badge(std::string_view text);

}  // namespace inkpack

#pragma once
// Who wrote, edited and published an article, read from its opening lines.
#include "model/document.hpp"

namespace inkpack {

/// Reads bylines (`作者 / 张三`, `编辑：李四 版面：王五`, `By Jane Doe`) and the account's
/// `这是 X 的第N篇原创文章` from the article's opening blocks into `doc.meta` where the input's
/// own metadata is silent, and removes those lines from the body unless `keep`. A link to
/// mp.weixin.qq.com whose text is the article's title becomes dc:source.
void read_bylines(Document& doc, bool keep);

}  // namespace inkpack

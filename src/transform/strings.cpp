#include "transform/strings.hpp"

namespace inkpack {

std::string label(const std::string& language, Label which) {
  const std::string primary = language.substr(0, language.find('-'));
  if (primary == "zh") {
    switch (which) {
      case Label::opening: return "引言";
      case Label::closing: return "结语";
      case Label::contents: return "目录";
      case Label::landmarks: return "导览";
      case Label::image: return "图片";
      case Label::image_missing: return "图片未能收入本书";
      case Label::untitled: return "无标题";
      case Label::original: return "阅读原文";
      case Label::title_page: return "书名页";
    }
  }
  if (primary == "ja") {
    switch (which) {
      case Label::opening: return "はじめに";
      case Label::closing: return "おわりに";
      case Label::contents: return "目次";
      case Label::landmarks: return "ランドマーク";
      case Label::image: return "画像";
      case Label::image_missing: return "画像を収録できませんでした";
      case Label::untitled: return "無題";
      case Label::original: return "原文";
      case Label::title_page: return "扉";
    }
  }
  switch (which) {
    case Label::opening: return "Introduction";
    case Label::closing: return "Conclusion";
    case Label::contents: return "Contents";
    case Label::landmarks: return "Landmarks";
    case Label::image: return "Image";
    case Label::image_missing: return "Image not included in this book";
    case Label::untitled: return "Untitled";
    case Label::original: return "Original article";
    case Label::title_page: return "Title page";
  }
  return {};
}

std::string role_label(const std::string& language, const std::string& role) {
  struct Word {
    const char* role;
    const char* zh;
    const char* en;
  };
  static constexpr Word k_words[] = {{"aut", "作者", "Author"},       {"edt", "编辑", "Editor"},
                                     {"dsr", "设计", "Design"},       {"pht", "摄影", "Photography"},
                                     {"trl", "翻译", "Translation"},  {"ill", "插画", "Illustration"},
                                     {"ctb", "参与", "Contributor"}};
  const bool chinese = language.starts_with("zh") || language.starts_with("ja");
  for (const Word& word : k_words)
    if (role == word.role) return chinese ? word.zh : word.en;
  return chinese ? "参与" : "Contributor";
}

}  // namespace inkpack

#include "model/labels.hpp"

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
      case Label::cover: return "封面";
      case Label::accessibility_summary: return "本书按原文的阅读顺序排列，每节有标题，并有目录；字体和字号可在阅读器中调整。";
      case Label::images_described: return "每张图片都有取自原文或图注的文字说明，装饰性图片已标明。";
      case Label::images_undescribed: return "原文的部分图片没有文字说明，读屏软件只能读出“图片”；装饰性图片已标明。";
      case Label::video: return "▶ 视频：";
      case Label::audio: return "▶ 音频：";
      case Label::music: return "▶ 音乐：";
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
      case Label::cover: return "表紙";
      case Label::accessibility_summary:
        return "原文の順序どおりに読め、各節に見出しがあり、目次があります。文字の書体と大きさは変えられます。";
      case Label::images_described: return "画像にはすべて原文またはキャプションの説明があり、装飾的な画像はその旨が示されています。";
      case Label::images_undescribed:
        return "原文の一部の画像には説明がなく、読み上げでは「画像」とだけ読まれます。装飾的な画像はその旨が示されています。";
      case Label::video: return "▶ 動画：";
      case Label::audio: return "▶ 音声：";
      case Label::music: return "▶ 音楽：";
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
    case Label::cover: return "Cover";
    case Label::accessibility_summary:
      return "The text follows the original article's reading order, with a heading for each section and a table of "
             "contents; fonts and text size can be changed. ";
    case Label::images_described:
      return "Every picture has a description from the source or its caption; decorative images are marked as such.";
    case Label::images_undescribed:
      return "Some pictures have no description in the source, so screen readers only say \"Image\"; decorative "
             "images are marked as such.";
    case Label::video: return "▶ Video: ";
    case Label::audio: return "▶ Audio: ";
    case Label::music: return "▶ Music: ";
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

std::string join_names(const std::vector<std::string>& names, const std::string& language) {
  const bool cjk = language.starts_with("zh") || language.starts_with("ja");
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : cjk ? "、" : ", ") + name;
  return out;
}

}  // namespace inkpack

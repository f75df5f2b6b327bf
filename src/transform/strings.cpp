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
  }
  return {};
}

}  // namespace inkpack

#include "read/html_code.hpp"

#include <string_view>
#include <vector>

namespace inkpack {
namespace {

std::string_view attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

bool is_element(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }

GumboTag tag_of(const GumboNode* node) { return node->v.element.tag; }

// Whether an element holds one line of the code: a block, or one of several <code> siblings.
bool is_line(const GumboNode* node) {
  switch (tag_of(node)) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_SECTION: return true;
    case GUMBO_TAG_CODE: break;
    default: return false;
  }
  const GumboVector& siblings = static_cast<const GumboNode*>(node->parent)->v.element.children;
  int codes = 0;
  for (unsigned i = 0; i < siblings.length; ++i) {
    const auto* sibling = static_cast<const GumboNode*>(siblings.data[i]);
    codes += is_element(sibling) && tag_of(sibling) == GUMBO_TAG_CODE;
  }
  return codes > 1;
}

void append_text(std::string_view text, std::string& out) {
  static constexpr std::string_view k_no_break_space = "\u00A0";
  for (std::size_t at = 0; at < text.size();) {
    if (text.substr(at).starts_with(k_no_break_space)) {
      out += ' ';
      at += k_no_break_space.size();
    } else {
      out += text[at++];
    }
  }
}

// Without recursion: a hostile page may nest thousands of elements inside a <pre>.
void collect(const GumboNode* pre, std::string& out) {
  struct Step {
    const GumboNode* node;
    bool leaving;       // the element's end: close its line
    std::size_t start;  // the text's size when its line began
  };
  std::vector<Step> stack;
  const auto push_children = [&](const GumboNode* node) {
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back({static_cast<const GumboNode*>(kids.data[i]), false, 0});
  };
  push_children(pre);
  while (!stack.empty()) {
    const Step step = stack.back();
    stack.pop_back();
    const GumboNode* node = step.node;
    if (step.leaving) {
      // An empty line element is an empty line; one that ended with its own <br> has its break.
      if (out.size() == step.start || out.back() != '\n') out += '\n';
      continue;
    }
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      append_text(node->v.text.text, out);
      continue;
    }
    if (!is_element(node) || tag_of(node) == GUMBO_TAG_SCRIPT || tag_of(node) == GUMBO_TAG_STYLE) continue;
    if (tag_of(node) == GUMBO_TAG_BR) {
      out += '\n';
      continue;
    }
    if (is_line(node)) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      stack.push_back({node, true, out.size()});
    }
    push_children(node);
  }
}

}  // namespace

std::string code_text(const GumboNode* pre) {
  std::string out;
  collect(pre, out);
  while (out.ends_with('\n')) out.pop_back();
  return out;
}

std::string code_language(const GumboNode* pre) {
  if (const std::string_view lang = attribute(pre, "data-lang"); !lang.empty()) return std::string(lang);
  const GumboVector& kids = pre->v.element.children;
  const auto* first = kids.length > 0 ? static_cast<const GumboNode*>(kids.data[0]) : nullptr;
  for (const GumboNode* node : {pre, first}) {
    if (!node || !is_element(node)) continue;
    const std::string_view classes = attribute(node, "class");
    if (const std::size_t at = classes.find("language-"); at != std::string_view::npos) {
      const std::string_view rest = classes.substr(at + 9);
      return std::string(rest.substr(0, rest.find(' ')));
    }
  }
  return {};
}

bool is_code_line_numbers(const GumboNode* node) {
  return is_element(node) && tag_of(node) == GUMBO_TAG_UL &&
         attribute(node, "class").find("code-snippet__line-index") != std::string_view::npos;
}

}  // namespace inkpack

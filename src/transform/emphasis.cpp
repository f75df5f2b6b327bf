#include <optional>

#include "model/walk.hpp"
#include "transform/inline_passes.hpp"
#include "util/text.hpp"

namespace inkpack {
namespace {

struct Token {
  Inline node;        // text or any other inline, when not a delimiter run
  int run = 0;        // length of an asterisk run; 0 for other tokens
  bool can_open = false;
  bool can_close = false;
  std::optional<std::size_t> closer;  // for a paired opener: index of its closer
  bool debris = false;                // an unpaired run to drop
};

std::vector<Token> tokenize(Inlines& list) {
  std::vector<Token> tokens;
  for (Inline& node : list) {
    if (node.kind != InlineKind::text) {
      tokens.push_back({std::move(node)});
      continue;
    }
    const std::string& text = node.text;
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t star = text.find('*', pos);
      if (star != pos) {
        const std::size_t end = star == std::string::npos ? text.size() : star;
        tokens.push_back({Inline::make_text(text.substr(pos, end - pos))});
        pos = end;
        continue;
      }
      std::size_t end = pos;
      while (end < text.size() && text[end] == '*') ++end;
      Token token{Inline::make_text(text.substr(pos, end - pos))};
      token.run = static_cast<int>(end - pos);
      tokens.push_back(std::move(token));
      pos = end;
    }
  }
  return tokens;
}

// The character beside a token as the flanking rules see it: line ends and breaks are
// whitespace, other inline elements behave like letters.
char32_t neighbour(const std::vector<Token>& tokens, std::size_t i, bool before) {
  if (before ? i == 0 : i + 1 >= tokens.size()) return ' ';
  const Token& t = tokens[before ? i - 1 : i + 1];
  if (t.node.kind == InlineKind::soft_break || t.node.kind == InlineKind::line_break) return ' ';
  if (t.node.kind != InlineKind::text) return 'a';
  return before ? last_code_point(t.node.text) : first_code_point(t.node.text);
}

void classify(std::vector<Token>& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Token& t = tokens[i];
    if (t.run == 0) continue;
    const char32_t prev = neighbour(tokens, i, true);
    const char32_t next = neighbour(tokens, i, false);
    const auto boundary = [](char32_t c) {
      return is_unicode_whitespace(c) || is_punctuation(c) || is_cjk(c);
    };
    t.can_open = !is_unicode_whitespace(next) && (!is_punctuation(next) || boundary(prev));
    t.can_close = !is_unicode_whitespace(prev) && (!is_punctuation(prev) || boundary(next));
  }
}

void pair(std::vector<Token>& tokens) {
  std::vector<std::size_t> openers;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.run == 0 || t.run > 2) continue;
    bool paired = false;
    if (t.can_close) {
      for (std::size_t k = openers.size(); k-- > 0;) {
        if (tokens[openers[k]].run != t.run) continue;
        tokens[openers[k]].closer = i;
        openers.resize(k);
        paired = true;
        break;
      }
    }
    if (!paired && t.can_open) openers.push_back(i);
  }
}

// The nearest character a reader sees beside token `i`, looking past spaces, line breaks and
// other asterisk runs; 0 at the edge of the paragraph.
char32_t visible_neighbour(const std::vector<Token>& tokens, std::size_t i, bool before) {
  for (std::size_t k = i; before ? k-- > 0 : ++k < tokens.size();) {
    const Token& t = tokens[k];
    if (t.run > 0 || t.node.kind == InlineKind::soft_break || t.node.kind == InlineKind::line_break)
      continue;
    const std::string text = trim(t.node.kind == InlineKind::text ? t.node.text : plain_text({t.node}));
    if (!text.empty()) return before ? last_code_point(text) : first_code_point(text);
    if (t.node.kind != InlineKind::text) return 'a';  // an image: not CJK text
  }
  return 0;
}

// An unpaired `**` beside CJK text, or alone in its paragraph, is the exporter's debris; beside
// Latin text (`2**10`, `f(**kwargs)`) it is the author's.
void mark_debris(std::vector<Token>& tokens) {
  std::vector<bool> paired(tokens.size(), false);
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i].closer) paired[i] = paired[*tokens[i].closer] = true;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Token& t = tokens[i];
    if (t.run < 2 || paired[i]) continue;
    const char32_t before = visible_neighbour(tokens, i, true);
    const char32_t after = visible_neighbour(tokens, i, false);
    t.debris = is_cjk(before) || is_cjk(after) || (before == 0 && after == 0);
  }
}

void append(Inlines& out, Inline node) {
  if (node.kind == InlineKind::text) {
    if (node.text.empty()) return;
    if (!out.empty() && out.back().kind == InlineKind::text) {
      out.back().text += node.text;
      return;
    }
  }
  out.push_back(std::move(node));
}

void rebuild(std::vector<Token>& tokens, std::size_t begin, std::size_t end, Inlines& out,
             std::size_t depth = 0) {
  for (std::size_t i = begin; i < end; ++i) {
    Token& t = tokens[i];
    if (t.run > 0 && t.closer && *t.closer < end) {
      if (depth >= k_max_inline_nesting) continue;  // pairs nested this deep lose their emphasis
      Inline wrapper;
      wrapper.kind = t.run == 2 ? InlineKind::strong : InlineKind::emphasis;
      rebuild(tokens, i + 1, *t.closer, wrapper.children, depth + 1);
      append(out, std::move(wrapper));
      i = *t.closer;
    } else if (t.debris) {
      continue;
    } else {
      append(out, std::move(t.node));
    }
  }
}

void resolve_list(Inlines& list) {
  bool has_run = false;
  for (const Inline& node : list)
    has_run = has_run || (node.kind == InlineKind::text && node.text.find('*') != std::string::npos);
  if (!has_run) return;
  std::vector<Token> tokens = tokenize(list);
  classify(tokens);
  pair(tokens);
  mark_debris(tokens);
  Inlines rebuilt;
  rebuild(tokens, 0, tokens.size(), rebuilt);
  list = std::move(rebuilt);
}

void restore_escapes(std::string& text) {
  if (text.find(k_escaped_asterisk) == std::string::npos) return;
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t at = text.find(k_escaped_asterisk, pos);
    out.append(text, pos, at == std::string::npos ? std::string::npos : at - pos);
    if (at == std::string::npos) break;
    out += '*';
    pos = at + k_escaped_asterisk.size();
  }
  text = std::move(out);
}

void restore_in(Blocks& blocks) {
  for_each_block(blocks, [](Block& block) { restore_escapes(block.text); });
  for_each_inline(blocks, [](Inline& node) {
    restore_escapes(node.text);
    restore_escapes(node.target);
    restore_escapes(node.title);
  });
}

}  // namespace

void resolve_cjk_emphasis(Blocks& blocks) {
  for_each_inline_list(blocks, [](Inlines& list) { for_each_nested_list(list, resolve_list); });
  restore_in(blocks);
}

}  // namespace inkpack

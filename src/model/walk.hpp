#pragma once
// The one way code walks the document tree. A pass says what it does to a block, a list or an
// inline; these say in which order they are met, so no pass writes a recursion of its own (and
// none forgets a figure's caption or a table's cells). Each takes the tree const or not.
#include <concepts>
#include <span>
#include <type_traits>

#include "model/document.hpp"

namespace inkpack {

/// What a visitor may answer about a node: go on into what it holds, or step over it.
enum class Walk { into, over };

template <class T>
concept BlockList = std::same_as<std::remove_const_t<T>, Blocks>;
template <class T>
concept InlineList = std::same_as<std::remove_const_t<T>, Inlines>;
// A tree is a list or one node, const or not.
template <class T>
concept BlockTree = BlockList<T> || std::same_as<std::remove_const_t<T>, Block>;
template <class T>
concept InlineTree = InlineList<T> || std::same_as<std::remove_const_t<T>, Inline>;

namespace walk_detail {

// A visitor returning nothing always goes on.
template <class Fn, class Node>
Walk visit(Fn& fn, Node& node) {
  if constexpr (std::is_void_v<std::invoke_result_t<Fn&, Node&>>) {
    fn(node);
    return Walk::into;
  } else {
    return fn(node);
  }
}

// A node stands for the list holding just it.
template <class T>
auto as_list(T& tree) {
  if constexpr (requires { tree.kind; }) return std::span<T>(&tree, 1);
  else return std::span<std::remove_reference_t<decltype(tree.front())>>(tree);
}

}  // namespace walk_detail

/// Every block in reading order, each before the blocks it holds; `fn(block)` may answer
/// Walk::over to leave its children out.
template <BlockTree Tree, class Fn>
void for_each_block(Tree& blocks, Fn&& fn) {
  for (auto& block : walk_detail::as_list(blocks))
    if (walk_detail::visit(fn, block) == Walk::into) for_each_block(block.children, fn);
}

/// Every list of blocks: those inside each block first, then `blocks` itself, so a pass that
/// rebuilds a list (splitting a paragraph, lifting a figure) finds the lists inside it done.
template <BlockList Tree, class Fn>
void for_each_block_list(Tree& blocks, Fn&& fn) {
  for (auto& block : blocks) for_each_block_list(block.children, fn);
  fn(blocks);
}

/// Each block's inline content as a whole (a paragraph's, a heading's, a cell's, a figure's
/// inlines, then a figure's caption), in reading order: for passes that rebuild a line.
template <BlockTree Tree, class Fn>
void for_each_inline_list(Tree& blocks, Fn&& fn) {
  for_each_block(blocks, [&](auto& block) {
    fn(block.inlines);
    if (!block.caption.empty()) fn(block.caption);
  });
}

/// Every list of inlines in `list`'s tree: those inside each inline first, then `list` itself
/// (the same order as for_each_block_list). An image's alt text and code are not entered: they
/// are no run of text.
template <InlineList Tree, class Fn>
void for_each_nested_list(Tree& list, Fn&& fn) {
  for (auto& node : list)
    if (node.kind != InlineKind::image && node.kind != InlineKind::code) for_each_nested_list(node.children, fn);
  fn(list);
}

/// Every inline of `list` in reading order, each before what it holds (an image's alt text
/// included); `fn(node)` may answer Walk::over to leave its children out.
template <InlineTree Tree, class Fn>
void for_each_inline(Tree& list, Fn&& fn) {
  for (auto& node : walk_detail::as_list(list))
    if (walk_detail::visit(fn, node) == Walk::into) for_each_inline(node.children, fn);
}

/// Every inline of the blocks, in reading order (see for_each_inline_list and for_each_inline).
template <BlockTree Tree, class Fn>
void for_each_inline(Tree& blocks, Fn&& fn) {
  for_each_inline_list(blocks, [&](auto& list) { for_each_inline(list, fn); });
}

/// Every image of `list`, in reading order.
template <InlineTree Tree, class Fn>
void for_each_image(Tree& list, Fn&& fn) {
  for_each_inline(list, [&](auto& node) {
    if (node.kind != InlineKind::image) return Walk::into;
    fn(node);
    return Walk::over;
  });
}

/// Every image of the blocks, in reading order (captions included).
template <BlockTree Tree, class Fn>
void for_each_image(Tree& blocks, Fn&& fn) {
  for_each_inline_list(blocks, [&](auto& list) { for_each_image(list, fn); });
}

}  // namespace inkpack

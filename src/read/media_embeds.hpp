#pragma once
// Players an article embeds — WeChat's voice and music cards, its video and channel embeds,
// video iframes, <video> and <audio>, `{{video …}}`-style shortcodes — which a book cannot
// play: each becomes a placeholder figure with its poster, its title and its address.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/document.hpp"

namespace inkpack {

/// An element's attribute by name, "" when it has none.
using AttributeOf = std::function<std::string(const char* name)>;

/// The placeholder for an element (`tag` lower case) if it is a player.
std::optional<Block> player_placeholder(std::string_view tag, const AttributeOf& attribute);

/// The player a saved page drew beside the embed (its buttons, progress bar, 当前浏览器不支持播放):
/// an element with one of these classes is left out, the placeholder stands for it.
bool is_drawn_player(std::string_view classes);

/// Whether raw HTML in Markdown holds a player, to be read as a page's markup is.
bool holds_player(std::string_view html);

/// The placeholder for a paragraph that is nothing but a video or audio shortcode
/// (`{{video "https://…"}}`, `{{< youtube ID >}}`, `{% vimeo ID %}`).
std::optional<Block> shortcode_placeholder(std::string_view paragraph_text);

}  // namespace inkpack

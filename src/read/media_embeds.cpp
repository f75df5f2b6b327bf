#include "read/media_embeds.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "util/text.hpp"

namespace inkpack {
namespace {

struct Player {
  Embed kind = Embed::none;
  std::string title;
  std::string poster;
  std::string link;
};

// Hosts whose iframes are video players.
constexpr std::array<std::string_view, 9> k_video_hosts = {
    "v.qq.com", "youtube.com", "youtube-nocookie.com", "youtu.be", "player.vimeo.com", "bilibili.com",
    "youku.com", "ixigua.com", "player.twitch.tv"};

// An address a reader can follow: http(s), a protocol-relative one made https, a WeChat page
// template (/cgi-bin/readtemplate?…) or an escaped one (http%3A%2F%2F…, as data-cover is) undone.
std::string address(std::string value) {
  value = trim(value);
  if (ascii_lower(value).starts_with("http%3a") || ascii_lower(value).starts_with("https%3a")) value = percent_decode(value);
  if (value.starts_with("//")) value = "https:" + value;
  return is_web_url(value) ? value : std::string();
}

std::string first_of(const AttributeOf& attribute, std::initializer_list<const char*> names, bool as_address) {
  for (const char* name : names) {
    std::string value = as_address ? address(attribute(name)) : trim(attribute(name));
    if (!value.empty()) return value;
  }
  return {};
}

Embed kind_of(std::string_view tag, const AttributeOf& attribute) {
  if (tag == "mpvoice" || tag == "mp-common-mpaudio" || tag == "audio") return Embed::audio;
  if (tag == "qqmusic" || tag == "mp-common-qqmusic" || tag == "mp-common-music") return Embed::music;
  if (tag == "mpvideosnap" || tag == "mp-common-videosnap" || tag == "video") return Embed::video;
  if (tag != "iframe") return Embed::none;
  const std::string source = ascii_lower(attribute("data-src") + " " + attribute("src"));
  const bool video_host = std::any_of(k_video_hosts.begin(), k_video_hosts.end(),
                                      [&](std::string_view host) { return source.find(host) != std::string::npos; });
  return video_host || ascii_lower(attribute("class")).find("video_iframe") != std::string::npos ? Embed::video : Embed::none;
}

Block placeholder(const Player& player) {
  Block figure{BlockKind::figure};
  figure.embed = player.kind;
  if (!player.poster.empty()) {
    Inline poster{InlineKind::image, {}, player.poster, {}, {}, {}};
    if (!player.title.empty()) poster.children.push_back(Inline::make_text(player.title));
    figure.inlines.push_back(std::move(poster));
  }
  Inlines name;
  const std::string shown = player.title.empty() ? player.link : player.title;
  if (!shown.empty()) name.push_back(Inline::make_text(shown));
  if (player.link.empty()) {
    figure.caption = std::move(name);
  } else {
    Inline link{InlineKind::link, {}, player.link, {}, std::move(name), {}};
    figure.caption.push_back(std::move(link));
  }
  return figure;
}

// The words of a shortcode: `{{< youtube id="x" >}}` → youtube, id="x".
std::vector<std::string> shortcode_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      if (c == quote) quote = 0;
      else current += c;
    } else if (c == '"' || c == '\'' || c == '`') {
      quote = c;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// The body of `{{…}}`, `{{< … >}}`, `{{% … %}}` or `{% … %}`, or nullopt.
std::optional<std::string_view> shortcode_body(std::string_view text) {
  for (auto [open, close] : std::array<std::pair<std::string_view, std::string_view>, 4>{
           {{"{{<", ">}}"}, {"{{%", "%}}"}, {"{%", "%}"}, {"{{", "}}"}}})
    if (text.starts_with(open) && text.ends_with(close) && text.size() >= open.size() + close.size())
      return text.substr(open.size(), text.size() - open.size() - close.size());
  return std::nullopt;
}

}  // namespace

std::optional<Block> player_placeholder(std::string_view tag, const AttributeOf& attribute) {
  Player player;
  player.kind = kind_of(tag, attribute);
  if (player.kind == Embed::none) return std::nullopt;
  player.title = first_of(attribute, {"music_name", "data-music_name", "name", "data-name", "data-title", "title",
                                      "data-desc", "aria-label"}, false);
  if (const std::string by = first_of(attribute, {"singer", "data-singer", "author", "data-author", "data-nickname"}, false);
      !by.empty())
    player.title += (player.title.empty() ? "" : " — ") + by;
  player.poster = first_of(attribute, {"data-cover", "cover", "poster", "data-poster", "data-thumb"}, true);
  // A saved page keeps its own copy of a poster beside it.
  if (const std::string local = trim(attribute("poster")); player.poster.empty() && !local.empty() && !local.starts_with("data:"))
    player.poster = local;
  player.link = first_of(attribute, {"data-src", "src", "data-url"}, true);
  if (player.link == player.poster) player.link.clear();
  return placeholder(player);
}

bool is_drawn_player(std::string_view classes) {
  static constexpr std::array<std::string_view, 6> k_drawn = {
      "js_audio_frame", "qqmusic_area", "audio_area", "js_tx_video_container", "js_mpvideosnap", "unsupport_tips"};
  std::string words = " " + std::string(classes) + " ";
  return std::any_of(k_drawn.begin(), k_drawn.end(),
                     [&](std::string_view c) { return words.find(" " + std::string(c) + " ") != std::string::npos; });
}

bool holds_player(std::string_view html) {
  const std::string text = ascii_lower(html);
  return text.find("<iframe") != std::string::npos || text.find("<video") != std::string::npos ||
         text.find("<audio") != std::string::npos;
}

std::optional<Block> shortcode_placeholder(std::string_view paragraph_text) {
  const std::string text = trim(paragraph_text);
  const std::optional<std::string_view> body = shortcode_body(text);
  if (!body) return std::nullopt;
  const std::vector<std::string> words = shortcode_words(*body);
  if (words.empty()) return std::nullopt;
  const std::string name = ascii_lower(words.front());
  Player player;
  player.kind = name == "audio" ? Embed::audio : (name == "video" || name == "youtube" || name == "vimeo" || name == "bilibili")
                                                     ? Embed::video : Embed::none;
  if (player.kind == Embed::none) return std::nullopt;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    // `id="x"`, not the `?rel=0` of an address.
    std::size_t equals = word.find('=');
    if (equals != std::string::npos && word.find_first_of(":/?") < equals) equals = std::string::npos;
    const std::string key = equals == std::string::npos ? std::string() : ascii_lower(word.substr(0, equals));
    const std::string value = equals == std::string::npos ? word : word.substr(equals + 1);
    if (key == "title") player.title = value;
    else if (key == "poster" || key == "cover") player.poster = address(value);
    else if (player.link.empty() && (key.empty() || key == "src" || key == "id" || key == "url")) player.link = value;
  }
  // A bare id names a video on the shortcode's site.
  if (!player.link.empty() && !is_web_url(player.link)) {
    if (name == "youtube") player.link = "https://www.youtube.com/watch?v=" + player.link;
    else if (name == "vimeo") player.link = "https://vimeo.com/" + player.link;
    else if (name == "bilibili") player.link = "https://www.bilibili.com/video/" + player.link;
    else player.link = address(player.link);
  }
  return placeholder(player);
}

}  // namespace inkpack

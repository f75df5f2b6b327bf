#pragma once
// An article given by its address: fetched with the images' HTTP layer, through their download
// cache, so a book made from links rebuilds with --offline.
#include <string>

#include "image/media_plan.hpp"
#include "net/http_client.hpp"
#include "util/diagnostics.hpp"
#include "util/error.hpp"

namespace inkpack {

/// The page at `url`. Online, it is always asked for (with the cached copy's validators, so an
/// unchanged page costs a 304) and stored in the cache; when the server cannot be had, the cached
/// copy is used with a warning. With `images.offline`, the cached copy or an error.
Expected<FetchResult> fetch_page(const std::string& url, const ImageOptions& images, Diagnostics& diags);

}  // namespace inkpack

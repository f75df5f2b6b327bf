#pragma once
// Serialising tinyxml2 documents the way reading systems need them.
#include <string>
#include <string_view>

#include <tinyxml2.h>

#include "util/error.hpp"

namespace inkpack {

/// Prints an XHTML document: never self-closes a non-void element (`<a/>`, `<div/>` break HTML
/// parsers in reading systems), and prints <body> compactly so no whitespace is added inside
/// <p> or <pre>.
std::string print_xhtml(const tinyxml2::XMLDocument& doc);

/// Prints a non-HTML XML document (OPF, NCX, container) indented.
std::string print_xml(const tinyxml2::XMLDocument& doc);

/// Parses a template; the error names the template so a user's own can be fixed.
/// Where and why `doc` failed to parse, in words ("line 9: an element is closed by a tag of
/// another name"), not tinyxml2's codes.
std::string xml_error_in_words(const tinyxml2::XMLDocument& doc);

Expected<void> parse_template(tinyxml2::XMLDocument& doc, std::string_view text,
                              const std::string& name);

/// First element in document order under `root` named `name` (and with id `id` if given).
tinyxml2::XMLElement* find_element(tinyxml2::XMLNode* root, std::string_view name,
                                   std::string_view id = {});

}  // namespace inkpack

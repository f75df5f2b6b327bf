#include "epub/xml_printer.hpp"

#include <algorithm>
#include <array>

namespace inkpack {
namespace {

// After tinyxml2's contrib/html5-printer.cpp.
class XhtmlPrinter : public tinyxml2::XMLPrinter {
public:
  XhtmlPrinter() : XMLPrinter(nullptr, false) {}

protected:
  void CloseElement(bool compact_mode) override {
    if (_elementJustOpened && !is_void(_stack.PeekTop())) SealElementIfJustOpened();
    XMLPrinter::CloseElement(compact_mode);
  }

  // Tracked on the way in and out rather than by walking up from each element, which is
  // quadratic in the nesting depth.
  bool VisitEnter(const tinyxml2::XMLElement& element, const tinyxml2::XMLAttribute* first) override {
    if (std::string_view(element.Name()) == "body") m_in_body = true;
    return XMLPrinter::VisitEnter(element, first);
  }

  bool VisitExit(const tinyxml2::XMLElement& element) override {
    const bool result = XMLPrinter::VisitExit(element);
    if (std::string_view(element.Name()) == "body") m_in_body = false;
    return result;
  }

  bool CompactMode(const tinyxml2::XMLElement&) override { return m_in_body; }

private:
  static bool is_void(std::string_view name) {
    static constexpr std::array<std::string_view, 14> k_void = {
        "area", "base", "br", "col", "embed", "hr", "img", "input",
        "link", "meta", "param", "source", "track", "wbr"};
    return std::find(k_void.begin(), k_void.end(), name) != k_void.end();
  }

  bool m_in_body = false;
};

}  // namespace

std::string print_xhtml(const tinyxml2::XMLDocument& doc) {
  XhtmlPrinter printer;
  doc.Print(&printer);
  return std::string(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
}

std::string print_xml(const tinyxml2::XMLDocument& doc) {
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return std::string(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
}

// tinyxml2's errors in words; its own text ("ErrorID=14 (0xe) Line number=3") means nothing to a user.
namespace {

std::string error_words(tinyxml2::XMLError error) {
  using namespace tinyxml2;
  switch (error) {
    case XML_ERROR_MISMATCHED_ELEMENT: return "an element is closed by a tag of another name";
    case XML_ERROR_PARSING_ELEMENT: return "an element is not closed, or its tag is broken";
    case XML_ERROR_PARSING_ATTRIBUTE: return "a broken attribute";
    case XML_ERROR_PARSING_TEXT: return "text that is not allowed there (a bare '<' or '&'?)";
    case XML_ERROR_EMPTY_DOCUMENT: return "the file is empty";
    default: return "not well-formed XML";
  }
}

}  // namespace

std::string xml_error_in_words(const tinyxml2::XMLDocument& doc) {
  return "line " + std::to_string(doc.ErrorLineNum()) + ": " + error_words(doc.ErrorID());
}

Expected<void> parse_template(tinyxml2::XMLDocument& doc, std::string_view text,
                              const std::string& name) {
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS)
    return fail("template " + name + " is not well-formed XML: " + xml_error_in_words(doc));
  return {};
}

tinyxml2::XMLElement* find_element(tinyxml2::XMLNode* root, std::string_view name,
                                   std::string_view id) {
  for (tinyxml2::XMLNode* node = root->FirstChild(); node; node = node->NextSibling()) {
    tinyxml2::XMLElement* element = node->ToElement();
    if (!element) continue;
    if (name == element->Name() && (id.empty() || (element->Attribute("id") && id == element->Attribute("id"))))
      return element;
    if (tinyxml2::XMLElement* found = find_element(element, name, id)) return found;
  }
  return nullptr;
}

}  // namespace inkpack

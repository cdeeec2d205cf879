#include "label_config.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <memory>
#include <stdexcept>

namespace mano::manod {

namespace {

// The tags we read, by their lower-case name (Label Studio reads tag names in any case).
const std::map<std::string, std::string>& KnownTags() {
  static const std::map<std::string, std::string> tags = {
      {"view", "View"},       {"header", "Header"},
      {"style", "Style"},     {"image", "Image"},
      {"audio", "Audio"},     {"audioplus", "Audio"},
      {"text", "Text"},       {"hypertext", "HyperText"},
      {"choices", "Choices"}, {"choice", "Choice"},
      {"rating", "Rating"},   {"textarea", "TextArea"},
      {"number", "Number"},   {"rectanglelabels", "RectangleLabels"},
      {"label", "Label"}};
  return tags;
}

bool IsObjectTag(const std::string& tag) {
  return tag == "Image" || tag == "Audio" || tag == "Text" || tag == "HyperText";
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct ParseState {
  const std::string* file = nullptr;
  XML_Parser parser = nullptr;
  LabelConfig config;
  std::vector<std::string> open;  // canonical names of the open elements
  std::string pending_label;      // a Header waiting for the next object or control
  bool seen_item = false;         // an object or a control came already
  int elements = 0;
  std::string error;  // set once; the parse stops

  int Line() const { return static_cast<int>(XML_GetCurrentLineNumber(parser)); }

  void Fail(const std::string& what) {
    if (!error.empty()) return;
    error = *file + " line " + std::to_string(Line()) + ": " + what;
    XML_StopParser(parser, XML_FALSE);
  }

  // The control `tag` (Choices or RectangleLabels) the element being started is inside, or
  // nullptr. The element itself is open.back().
  LabelControl* OpenGroup(const char* tag) {
    for (auto it = open.rbegin() + 1; it < open.rend(); ++it) {
      if (*it == tag) return config.controls.empty() ? nullptr : &config.controls.back();
    }
    return nullptr;
  }

  void Start(const std::string& raw, std::map<std::string, std::string> attrs);
};

bool Truthy(const std::string& v) { return Lower(v) == "true"; }

std::optional<double> NumberAttr(ParseState& s, const std::map<std::string, std::string>& attrs,
                                 const char* name) {
  auto it = attrs.find(name);
  if (it == attrs.end() || it->second.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || end != it->second.data() + it->second.size()) {
    s.Fail(std::string(name) + "=\"" + it->second + "\" is not a number");
    return std::nullopt;
  }
  return v;
}

void ParseState::Start(const std::string& raw, std::map<std::string, std::string> attrs) {
  if (++elements > kMaxConfigElements) {
    return Fail("more than " + std::to_string(kMaxConfigElements) + " elements");
  }
  if (static_cast<int>(open.size()) >= kMaxConfigDepth) {
    return Fail("elements nest deeper than " + std::to_string(kMaxConfigDepth) + " levels");
  }
  auto known = KnownTags().find(Lower(raw));
  if (known == KnownTags().end()) {
    return Fail("<" + raw +
                "> is not supported (supported: View, Header, Style, Image, Audio, Text, "
                "HyperText, Choices, Choice, Rating, TextArea, Number, RectangleLabels, Label)");
  }
  const std::string& tag = known->second;
  if (open.empty() && tag != "View")
    return Fail("the config must start with <View>, not <" + raw + ">");
  open.push_back(tag);
  auto attr = [&](const char* name) {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : it->second;
  };
  auto take_label = [&] {
    std::string label = std::move(pending_label);
    pending_label.clear();
    seen_item = true;
    return label;
  };
  if (tag == "Header") {
    std::string value = attr("value");
    if (!seen_item && config.title.empty() && pending_label.empty()) {
      config.title = value;
    } else {
      pending_label = value;
    }
    return;
  }
  if (tag == "View" || tag == "Style") return;
  if (tag == "Choice" || tag == "Label") {
    const char* group = tag == "Choice" ? "Choices" : "RectangleLabels";
    LabelControl* control = OpenGroup(group);
    if (!control) return Fail("<" + raw + "> must be inside <" + group + ">");
    LabelChoice choice{attr("value"), attr("alias"), attr("hint")};
    if (choice.value.empty()) return Fail("<" + raw + "> needs a value");
    control->choices.push_back(std::move(choice));
    return;
  }
  std::string name = attr("name");
  if (name.empty()) return Fail("<" + raw + "> needs a name");
  if (IsObjectTag(tag)) {
    if (config.FindObject(name)) return Fail("two objects are named " + name);
    LabelObject object;
    object.tag = tag;
    object.name = name;
    object.line = Line();
    std::string value = attr("value");
    if (value.size() > 1 && value[0] == '$') {
      object.variable = value.substr(1);
    } else {
      object.literal = value;
    }
    object.url = Lower(attr("valueType")) == "url";
    object.label = take_label();
    config.objects.push_back(std::move(object));
    return;
  }
  // Controls do not nest (a control inside another would answer for a region).
  if (OpenGroup("Choices") || OpenGroup("RectangleLabels")) {
    return Fail("<" + raw + "> cannot be inside another control");
  }
  for (const char* per : {"perRegion", "perItem"}) {
    if (Truthy(attr(per))) return Fail(std::string(per) + " answers are not supported");
  }
  for (const auto& c : config.controls) {
    if (c.name == name) return Fail("two controls are named " + name);
  }
  LabelControl control;
  control.tag = tag;
  control.name = name;
  control.to_name = attr("toName");
  control.line = Line();
  control.required = Truthy(attr("required"));
  control.label = take_label();
  if (control.to_name.empty()) return Fail("<" + raw + "> needs a toName");
  if (tag == "Choices") {
    std::string choice = Lower(attr("choice"));
    if (!choice.empty() && choice != "single" && choice != "single-radio" && choice != "multiple") {
      return Fail("choice=\"" + attr("choice") + "\" is not single, single-radio or multiple");
    }
    control.multiple = choice == "multiple";
  } else if (tag == "Rating") {
    auto max = NumberAttr(*this, attrs, "maxRating");
    if (max) {
      if (*max < 1 || *max > 100 || *max != static_cast<int>(*max)) {
        return Fail("maxRating must be a whole number from 1 to 100");
      }
      control.max_rating = static_cast<int>(*max);
    }
  } else if (tag == "Number") {
    control.min = NumberAttr(*this, attrs, "min");
    control.max = NumberAttr(*this, attrs, "max");
  } else if (tag == "TextArea") {
    auto max = NumberAttr(*this, attrs, "maxLength");
    if (max) {
      if (*max < 1 || *max != static_cast<long long>(*max)) {
        return Fail("maxLength must be a whole number of characters");
      }
      control.max_chars = static_cast<long long>(*max);
    }
  }
  if (!error.empty()) return;
  config.controls.push_back(std::move(control));
}

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** atts) {
  auto* s = static_cast<ParseState*>(data);
  if (!s->error.empty()) return;
  std::map<std::string, std::string> attrs;
  for (int i = 0; atts[i] && atts[i + 1]; i += 2) attrs[atts[i]] = atts[i + 1];
  s->Start(name, std::move(attrs));
}

void XMLCALL OnEnd(void* data, const XML_Char*) {
  auto* s = static_cast<ParseState*>(data);
  if (!s->open.empty()) s->open.pop_back();
}

void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<ParseState*>(data)->Fail("a DOCTYPE is not allowed in a labelling config");
}

void XMLCALL OnEntity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                      const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<ParseState*>(data)->Fail("entity declarations are not allowed");
}

struct ParserFree {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

}  // namespace

const LabelObject* LabelConfig::FindObject(std::string_view name) const {
  for (const auto& o : objects) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

LabelConfig LabelConfig::Parse(std::string_view xml, const std::string& file) {
  if (xml.size() > kMaxConfigBytes) {
    throw std::runtime_error(file + ": a labelling config is at most " +
                             std::to_string(kMaxConfigBytes) + " bytes");
  }
  std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate("UTF-8"));
  if (!parser) throw std::runtime_error("out of memory reading " + file);
  ParseState state;
  state.file = &file;
  state.parser = parser.get();
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  XML_SetEntityDeclHandler(parser.get(), OnEntity);
  XML_Status status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (!state.error.empty()) throw std::runtime_error(state.error);
  if (status != XML_STATUS_OK) {
    throw std::runtime_error(file + " line " + std::to_string(state.Line()) + ": " +
                             XML_ErrorString(XML_GetErrorCode(parser.get())));
  }
  if (state.config.controls.empty()) {
    throw std::runtime_error(file +
                             ": no control (Choices, Rating, TextArea, Number, "
                             "RectangleLabels): there is nothing to answer");
  }
  for (const auto& c : state.config.controls) {
    const LabelObject* target = state.config.FindObject(c.to_name);
    std::string where =
        file + " line " + std::to_string(c.line) + ": <" + c.tag + " name=\"" + c.name + "\">";
    if (!target) throw std::runtime_error(where + " toName=\"" + c.to_name + "\" names no object");
    if (c.tag == "RectangleLabels" && target->tag != "Image") {
      throw std::runtime_error(where + " must point at an <Image>, not <" + target->tag + ">");
    }
    if ((c.tag == "Choices" || c.tag == "RectangleLabels") && c.choices.empty()) {
      throw std::runtime_error(where + " has no " + (c.tag == "Choices" ? "<Choice>" : "<Label>"));
    }
  }
  return std::move(state.config);
}

}  // namespace mano::manod

// LabelConfig: a Label Studio labelling config (the <View> XML of a project) read into the few
// things `manod import --format label-studio` maps onto a form (label_studio_importer.h).
//
// Supported tags: View (any nesting), Header, Style (its CSS ignored); the objects Image, Audio
// (and AudioPlus), Text, HyperText, whose `value` is a `$variable` of the task's data or a
// literal; the controls Choices with Choice children, Rating, TextArea, Number, RectangleLabels
// with Label children. Any other tag (Labels, Polygon, Video, Relations, ...) is refused with
// its name and line, as are controls whose `toName` names no object of the right type.
// Attributes not listed in tools/manod/README.md ("Label Studio") are ignored.
//
// The parser is expat (Debian libexpat1-dev): no DTD, no external entities (a DOCTYPE is
// refused), and bounded: at most kMaxConfigBytes of XML, kMaxDepth levels of elements and
// kMaxElements elements. Every failure throws std::runtime_error "<file> line N: ...".
// Plain value types; Parse is thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mano::manod {

constexpr std::size_t kMaxConfigBytes = 1 << 20;
constexpr int kMaxConfigDepth = 32;
constexpr int kMaxConfigElements = 10000;

// An object tag: something the worker is shown.
struct LabelObject {
  std::string tag;       // Image, Audio, Text, HyperText (AudioPlus reads as Audio)
  std::string name;      // the tag's name: asset name, to_name of results
  std::string variable;  // `value="$image"` gives "image"; empty for a literal
  std::string literal;   // `value="..."` without a `$`
  std::string label;     // the Header just before it, if any
  bool url = false;      // Text valueType="url": the value is a link
  int line = 0;
};

struct LabelChoice {
  std::string value;  // what Label Studio shows and stores (unless alias)
  std::string alias;  // stored instead of value when set
  std::string hint;
};

// A control tag: one answer field.
struct LabelControl {
  std::string tag;  // Choices, Rating, TextArea, Number, RectangleLabels
  std::string name;
  std::string to_name;
  std::string label;  // the Header just before it, if any
  bool required = false;
  bool multiple = false;               // Choices choice="multiple"
  int max_rating = 5;                  // Rating maxRating
  std::optional<double> min, max;      // Number
  std::optional<long long> max_chars;  // TextArea maxLength (when given)
  std::vector<LabelChoice> choices;    // Choices: Choice; RectangleLabels: Label (value only)
  int line = 0;
};

struct LabelConfig {
  std::string title;  // the first Header, when it comes before every object and control
  std::vector<LabelObject> objects;
  std::vector<LabelControl> controls;

  // The object named `name`, or nullptr.
  const LabelObject* FindObject(std::string_view name) const;
  // Parses `xml` (from `file`, named in errors); throws std::runtime_error "<file> line N: ...".
  static LabelConfig Parse(std::string_view xml, const std::string& file);
};

}  // namespace mano::manod

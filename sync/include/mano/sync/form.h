// A task's form: what to show the worker and which answer fields to fill, the way MTurk's
// QuestionForm or ODK forms declare them. Forms travel inside assignments and are stored as
// JSON by client and server; validate.h checks answers against them.
//
// Wire form (compact JSON, optional members omitted when empty/default):
//   {"title":"...","instructions":"...",
//    "show":[{"type":"text|url|asset|result","label":"...","value":"..."}],
//    "fields":[{"name":"score","type":"scale","label":"...","required":true,"min":0,"max":4}]}
// Plain value types; thread safety as for any std::vector-holding struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/json_util.h"

namespace mano::sync {

enum class FieldType {
  kSingle,  // one of `options` (answer: string)
  kMulti,   // several of `options`, min/max = count of choices (answer: array of strings)
  kScale,   // integer in [min, max], both required (answer: integer)
  kText,    // free text, valid UTF-8, <= max_length code points (answer: string)
  kNumber,  // any finite number in [min, max] when given (answer: number)
  kBoxes,   // rectangles on image `asset` of width x height pixels, min/max = count of boxes
};
inline constexpr FieldType kLastFieldType = FieldType::kBoxes;  // keep it the last one

// "single", "multi", "scale", "text", "number", "boxes".
const char* FieldTypeName(FieldType type);
// Parses a type name; nullopt when unknown.
std::optional<FieldType> ParseFieldType(std::string_view name);

struct Option {
  std::string value;  // what the answer carries
  std::string label;  // what the worker sees (empty: show value)

  void Write(JsonOut& out) const;
  static Option Read(const JsonIn& in);
};

struct Field {
  std::string name;  // answer key: 1..64 of [A-Za-z0-9._:-]
  FieldType type = FieldType::kText;
  std::string label;
  std::string hint;  // optional help text
  bool required = false;
  std::vector<Option> options;             // single, multi
  std::optional<double> min, max;          // scale, number: value; multi, boxes: count
  std::optional<std::int64_t> max_length;  // text: code points (default kDefaultMaxTextCodePoints)
  std::string asset;                       // boxes: name of the image asset
  std::int64_t width = 0, height = 0;      // boxes: image size in pixels (the bounds)
  std::vector<std::string> labels;         // boxes: allowed box labels (empty: any)

  void Write(JsonOut& out) const;
  static Field Read(const JsonIn& in);
};

enum class ShowType { kText, kUrl, kAsset, kResult };
const char* ShowTypeName(ShowType type);

// One thing to show: a text, a URL, an asset (value = asset name), or a result to judge.
struct ShowItem {
  ShowType type = ShowType::kText;
  std::string label;
  std::string value;

  void Write(JsonOut& out) const;
  static ShowItem Read(const JsonIn& in);
};

struct Form {
  std::string title;
  std::string instructions;
  std::vector<ShowItem> show;
  std::vector<Field> fields;

  // The field named `name`, or nullptr.
  const Field* FindField(std::string_view name) const;

  void Write(JsonOut& out) const;
  static Form Read(const JsonIn& in);
  std::string ToJson() const { return ToJsonString(*this); }
  // Throws SyncError{kBadMessage} naming the field on malformed input.
  static Form FromJson(std::string_view json) { return FromJsonString<Form>(json); }
};

}  // namespace mano::sync

#include "mano/sync/form.h"

#include <array>

#include "mano/sync/limits.h"

namespace mano::sync {

namespace {

constexpr std::array<const char*, 6> kFieldTypeNames = {"single", "multi",  "scale",
                                                        "text",   "number", "boxes"};
constexpr std::array<const char*, 4> kShowTypeNames = {"text", "url", "asset", "result"};

void WriteOptText(JsonOut& out, const char* key, const std::string& value) {
  if (!value.empty()) out.Field(key, value);
}

}  // namespace

const char* FieldTypeName(FieldType type) { return kFieldTypeNames[static_cast<int>(type)]; }

std::optional<FieldType> ParseFieldType(std::string_view name) {
  for (std::size_t i = 0; i < kFieldTypeNames.size(); ++i) {
    if (name == kFieldTypeNames[i]) return static_cast<FieldType>(i);
  }
  return std::nullopt;
}

const char* ShowTypeName(ShowType type) { return kShowTypeNames[static_cast<int>(type)]; }

void Option::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("value", value);
  WriteOptText(out, "label", label);
  out.EndObject();
}

Option Option::Read(const JsonIn& in) { return Option{in.Str("value"), in.StrOr("label", "")}; }

void Field::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("name", name);
  out.Field("type", FieldTypeName(type));
  WriteOptText(out, "label", label);
  WriteOptText(out, "hint", hint);
  if (required) out.Field("required", true);
  if (!options.empty()) WriteArray(out, "options", options);
  if (min) {
    out.Key("min");
    out.Number(*min);
  }
  if (max) {
    out.Key("max");
    out.Number(*max);
  }
  if (max_length) out.Field("max_length", *max_length);
  WriteOptText(out, "asset", asset);
  if (width) out.Field("width", width);
  if (height) out.Field("height", height);
  out.OptStrings("labels", labels);
  out.EndObject();
}

Field Field::Read(const JsonIn& in) {
  Field f;
  f.name = in.IdOf("name");
  JsonIn type = in.Member("type");
  auto parsed = ParseFieldType(type.String());
  if (!parsed) type.Fail("unknown field type (single, multi, scale, text, number, boxes)");
  f.type = *parsed;
  f.label = in.StrOr("label", "");
  f.hint = in.StrOr("hint", "");
  f.required = in.BoolOr("required", false);
  f.options = ReadArray<Option>(in, "options", kMaxOptions, false);
  if (auto m = in.OptMember("min")) f.min = m->Number();
  if (auto m = in.OptMember("max")) f.max = m->Number();
  if (auto m = in.OptMember("max_length")) f.max_length = m->Int();
  f.asset = in.StrOr("asset", "");
  f.width = in.IntOr("width", 0);
  f.height = in.IntOr("height", 0);
  f.labels = in.StringsOr("labels", kMaxOptions);
  return f;
}

void ShowItem::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("type", ShowTypeName(type));
  WriteOptText(out, "label", label);
  out.Field("value", value);
  out.EndObject();
}

ShowItem ShowItem::Read(const JsonIn& in) {
  ShowItem s;
  JsonIn type = in.Member("type");
  std::string name = type.String();
  bool found = false;
  for (std::size_t i = 0; i < kShowTypeNames.size(); ++i) {
    if (name == kShowTypeNames[i]) {
      s.type = static_cast<ShowType>(i);
      found = true;
    }
  }
  if (!found) type.Fail("unknown show type (text, url, asset, result)");
  s.label = in.StrOr("label", "");
  s.value = in.StrOr("value", "");
  return s;
}

const Field* Form::FindField(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

void Form::Write(JsonOut& out) const {
  out.StartObject();
  WriteOptText(out, "title", title);
  WriteOptText(out, "instructions", instructions);
  if (!show.empty()) WriteArray(out, "show", show);
  WriteArray(out, "fields", fields);
  out.EndObject();
}

Form Form::Read(const JsonIn& in) {
  Form form;
  form.title = in.StrOr("title", "");
  form.instructions = in.StrOr("instructions", "");
  form.show = ReadArray<ShowItem>(in, "show", kMaxFields, false);
  form.fields = ReadArray<Field>(in, "fields", kMaxFields, true);
  return form;
}

}  // namespace mano::sync

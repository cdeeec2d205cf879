#include "mano/sync/form.h"

#include "mano/storage/enum_names.h"
#include "mano/sync/limits.h"

namespace mano::sync {

namespace {

constexpr storage::EnumName<FieldType> kFieldTypeNames[] = {
    {FieldType::kSingle, "single"}, {FieldType::kMulti, "multi"},   {FieldType::kScale, "scale"},
    {FieldType::kText, "text"},     {FieldType::kNumber, "number"}, {FieldType::kBoxes, "boxes"}};
constexpr storage::EnumName<ShowType> kShowTypeNames[] = {{ShowType::kText, "text"},
                                                          {ShowType::kUrl, "url"},
                                                          {ShowType::kAsset, "asset"},
                                                          {ShowType::kResult, "result"}};

void WriteOptText(JsonOut& out, const char* key, const std::string& value) {
  if (!value.empty()) out.Field(key, value);
}

}  // namespace

const char* FieldTypeName(FieldType type) { return storage::NameOf(kFieldTypeNames, type, "?"); }

std::optional<FieldType> ParseFieldType(std::string_view name) {
  return storage::ValueOf(kFieldTypeNames, name);
}

const char* ShowTypeName(ShowType type) { return storage::NameOf(kShowTypeNames, type, "?"); }

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
  f.type = EnumMember(in, "type", kFieldTypeNames,
                      "unknown field type (single, multi, scale, text, number, boxes)");
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
  s.type = EnumMember(in, "type", kShowTypeNames, "unknown show type (text, url, asset, result)");
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

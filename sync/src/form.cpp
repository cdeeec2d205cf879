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

}  // namespace

const char* FieldTypeName(FieldType type) { return storage::NameOf(kFieldTypeNames, type, "?"); }

std::optional<FieldType> ParseFieldType(std::string_view name) {
  return storage::ValueOf(kFieldTypeNames, name);
}

const char* ShowTypeName(ShowType type) { return storage::NameOf(kShowTypeNames, type, "?"); }

void Option::Write(JsonOut& out) const { out.Object("value", value, "label", OmitDefault(label)); }

Option Option::Read(const JsonIn& in) { return Option{in.Str("value"), in.StrOr("label", "")}; }

void Field::Write(JsonOut& out) const {
  out.Object("name", name, "type", FieldTypeName(type), "label", OmitDefault(label), "hint",
             OmitDefault(hint), "required", OmitDefault(required), "options", OmitDefault(options),
             "min", min, "max", max, "max_length", max_length, "asset", OmitDefault(asset), "width",
             OmitDefault(width), "height", OmitDefault(height), "labels", OmitDefault(labels));
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
  out.Object("type", ShowTypeName(type), "label", OmitDefault(label), "value", value);
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
  out.Object("title", OmitDefault(title), "instructions", OmitDefault(instructions), "show",
             OmitDefault(show), "fields", fields);
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

#include "mano/sync/json_util.h"

#include <rapidjson/error/en.h>
#include <utf8proc.h>

#include <charconv>
#include <cmath>

#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

namespace {

std::string Join(const std::string& path, const char* member) {
  if (path.empty()) return member;
  return path + "." + member;
}

const char* TypeOf(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

}  // namespace

JsonIn::JsonIn(const rapidjson::Value& value, std::string path)
    : value_(&value), path_(std::move(path)) {}

void JsonIn::Fail(const std::string& what, const char* member) const {
  std::string where = member ? Join(path_, member) : path_;
  std::string shown = where.empty() ? "body" : where;
  throw SyncError(SyncErrorKind::kBadMessage, shown + ": " + what, where);
}

void JsonIn::Expect(bool ok, const char* type) const {
  if (!ok) Fail(std::string("expected ") + type + ", got " + TypeOf(*value_));
}

JsonIn JsonIn::Member(const char* name) const {
  Expect(value_->IsObject(), "an object");
  auto it = value_->FindMember(name);
  if (it == value_->MemberEnd() || it->value.IsNull()) Fail("missing required field", name);
  return JsonIn(it->value, Join(path_, name));
}

std::optional<JsonIn> JsonIn::OptMember(const char* name) const {
  Expect(value_->IsObject(), "an object");
  auto it = value_->FindMember(name);
  if (it == value_->MemberEnd() || it->value.IsNull()) return std::nullopt;
  return JsonIn(it->value, Join(path_, name));
}

bool JsonIn::Has(const char* name) const { return OptMember(name).has_value(); }

std::size_t JsonIn::Size() const {
  Expect(value_->IsArray(), "an array");
  return value_->Size();
}

JsonIn JsonIn::At(std::size_t index) const {
  Expect(value_->IsArray(), "an array");
  if (index >= value_->Size()) Fail("index out of range");
  return JsonIn((*value_)[static_cast<rapidjson::SizeType>(index)],
                path_ + "[" + std::to_string(index) + "]");
}

std::string JsonIn::String() const {
  Expect(value_->IsString(), "a string");
  std::string s(value_->GetString(), value_->GetStringLength());
  // \u escapes can smuggle lone surrogates past the parser's encoding check.
  if (!IsValidUtf8(s)) Fail("invalid UTF-8 in string");
  return s;
}

std::int64_t JsonIn::Int() const {
  Expect(value_->IsInt64(), "an integer");
  return value_->GetInt64();
}

double JsonIn::Number() const {
  Expect(value_->IsNumber(), "a number");
  double d = value_->GetDouble();
  if (!std::isfinite(d)) Fail("number out of range");
  return d;
}

bool JsonIn::Bool() const {
  Expect(value_->IsBool(), "a boolean");
  return value_->GetBool();
}

std::string JsonIn::Id() const {
  std::string s = String();
  if (!IsValidId(s)) Fail("expected an id of 1 to 64 characters [A-Za-z0-9._:-]");
  return s;
}

std::string JsonIn::StrOr(const char* name, std::string fallback) const {
  auto m = OptMember(name);
  return m ? m->String() : fallback;
}

std::int64_t JsonIn::IntOr(const char* name, std::int64_t fallback) const {
  auto m = OptMember(name);
  return m ? m->Int() : fallback;
}

bool JsonIn::BoolOr(const char* name, bool fallback) const {
  auto m = OptMember(name);
  return m ? m->Bool() : fallback;
}

std::vector<std::string> JsonIn::StringsOr(const char* name, std::size_t max, bool ids) const {
  std::vector<std::string> out;
  auto list = OptMember(name);
  if (!list) return out;
  std::size_t n = list->Size();
  if (n > max) list->Fail("too many entries (limit " + std::to_string(max) + ")");
  for (std::size_t i = 0; i < n; ++i) out.push_back(ids ? list->At(i).Id() : list->At(i).String());
  return out;
}

void ThrowJsonTooLarge() {
  throw SyncError(SyncErrorKind::kTooLarge, "body: JSON text larger than the limit");
}

void ThrowJsonTooDeep() {
  throw SyncError(SyncErrorKind::kBadMessage,
                  "body: JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels", "");
}

void ThrowMalformedJson(std::size_t offset, const std::string& what) {
  throw SyncError(SyncErrorKind::kBadMessage,
                  "body: malformed JSON at byte " + std::to_string(offset) + ": " + what, "");
}

void ThrowMalformedJson(std::size_t offset, rapidjson::ParseErrorCode code) {
  ThrowMalformedJson(offset, rapidjson::GetParseError_En(code));
}

JsonDocument::JsonDocument(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) ThrowJsonTooLarge();
  if (JsonNestedDeeperThan(text, kMaxJsonDepth)) ThrowJsonTooDeep();
  doc_.Parse<kJsonParseFlags>(text.data(), text.size());
  if (doc_.HasParseError()) ThrowMalformedJson(doc_.GetErrorOffset(), doc_.GetParseError());
}

JsonOut::JsonOut() : writer_(buffer_) {}

void JsonOut::Key(std::string_view key) {
  writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void JsonOut::String(std::string_view value) {
  writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void JsonOut::Number(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9.0e15) {
    writer_.Int64(static_cast<std::int64_t>(value));
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  writer_.RawValue(buf, static_cast<std::size_t>(res.ptr - buf), rapidjson::kNumberType);
}

void JsonOut::Field(std::string_view key, std::string_view value) {
  Key(key);
  String(value);
}

void JsonOut::Field(std::string_view key, std::int64_t value) {
  Key(key);
  Int(value);
}

void JsonOut::Field(std::string_view key, bool value) {
  Key(key);
  Bool(value);
}

void JsonOut::Field(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  StartArray();
  for (const auto& v : values) String(v);
  EndArray();
}

bool JsonNestedDeeperThan(std::string_view json, std::size_t max) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped byte cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool IsValidUtf8(std::string_view s) {
  // utf8proc_iterate refuses overlong forms, surrogates and code points past U+10FFFF.
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n =
        utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;
    i += static_cast<std::size_t>(n);
  }
  return true;
}

std::string ToValidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (i + n <= s.size() && IsValidUtf8(s.substr(i, n))) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t count = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool IsValidId(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdLength) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace mano::sync

// Small helpers over RapidJSON (Debian's rapidjson-dev, header-only) for the wire messages.
//
// JsonDocument parses a body strictly: valid UTF-8 only, no NaN/Infinity, iterative parser
// (no recursion, so deep nesting cannot overflow the stack), at most kMaxDecompressedBytes,
// nested at most kMaxJsonDepth levels (checked by a linear scan before parsing).
// JsonIn is a read-only cursor that remembers its path ("results[3].v.score") so every
// failure throws SyncError{kBadMessage} naming the offending field; it never crashes on a
// wrong type or a missing member. JsonOut writes compact JSON (no whitespace).
// Unknown members are ignored by readers (forward compatibility) unless a reader says
// otherwise. Thread safety: none; use one object per thread.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/storage/enum_names.h"
#include "mano/sync/limits.h"

namespace mano::sync {

class JsonIn {
 public:
  JsonIn(const rapidjson::Value& value, std::string path);

  const std::string& path() const { return path_; }
  const rapidjson::Value& value() const { return *value_; }

  bool IsObject() const { return value_->IsObject(); }
  bool IsArray() const { return value_->IsArray(); }
  bool IsString() const { return value_->IsString(); }
  bool IsNull() const { return value_->IsNull(); }

  // Required member of an object; throws when this is not an object or the member is absent.
  JsonIn Member(const char* name) const;
  // Optional member; absent and null both give nullopt.
  std::optional<JsonIn> OptMember(const char* name) const;
  bool Has(const char* name) const;

  // Array access; throws when this is not an array.
  std::size_t Size() const;
  JsonIn At(std::size_t index) const;

  // Scalars; each throws naming path() when the type is wrong.
  std::string String() const;
  std::int64_t Int() const;  // an integer that fits int64 (1.0 is not an integer)
  double Number() const;     // any finite number
  bool Bool() const;
  // A string of 1..kMaxIdLength bytes of [A-Za-z0-9._:-].
  std::string Id() const;

  // Shorthands for members.
  std::string Str(const char* name) const { return Member(name).String(); }
  std::string StrOr(const char* name, std::string fallback) const;
  std::int64_t IntOf(const char* name) const { return Member(name).Int(); }
  std::int64_t IntOr(const char* name, std::int64_t fallback) const;
  bool BoolOr(const char* name, bool fallback) const;
  std::string IdOf(const char* name) const { return Member(name).Id(); }
  // An optional array of strings (ids when `ids`), at most `max` entries; absent gives {}.
  std::vector<std::string> StringsOr(const char* name, std::size_t max, bool ids = false) const;

  // Throws SyncError{kBadMessage} naming path() (or path().name when `member` is given).
  [[noreturn]] void Fail(const std::string& what, const char* member = nullptr) const;

 private:
  void Expect(bool ok, const char* type) const;
  const rapidjson::Value* value_;
  std::string path_;
};

class JsonDocument {
 public:
  // Parses `text`; throws SyncError{kBadMessage} (syntax, UTF-8, nesting) or {kTooLarge}
  // when it is over `max_bytes` (an uploaded answer may be kMaxUploadBytes).
  explicit JsonDocument(std::string_view text, std::size_t max_bytes = kMaxDecompressedBytes);
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;
  JsonIn Root() const { return JsonIn(doc_, ""); }

 private:
  rapidjson::Document doc_;
};

// How every reader of the protocol's JSON parses (a document or SAX events): valid UTF-8
// only, iterative (no recursion), numbers to the nearest double (RFC 8785).
constexpr unsigned kJsonParseFlags = rapidjson::kParseValidateEncodingFlag |
                                     rapidjson::kParseIterativeFlag |
                                     rapidjson::kParseFullPrecisionFlag;
// The refusals every reader of JSON text words the same way (SyncError, field ""): over its
// size limit (kTooLarge), nested deeper than kMaxJsonDepth, malformed at a byte offset.
[[noreturn]] void ThrowJsonTooLarge();
[[noreturn]] void ThrowJsonTooDeep();
[[noreturn]] void ThrowMalformedJson(std::size_t offset, const std::string& what);
[[noreturn]] void ThrowMalformedJson(std::size_t offset, rapidjson::ParseErrorCode code);

// A member that JsonOut::Field (and so Object) leaves out when its value is its type's
// default: an empty string or list, 0 or false. out.Object("id", id, "name", OmitDefault(name)).
template <typename T>
struct OmitDefault {
  // A constructor, not an aggregate: clang before 16 has no parenthesized aggregate init.
  explicit OmitDefault(const T& v) : value(v) {}
  const T& value;
};
template <typename T>
OmitDefault(const T&) -> OmitDefault<T>;

class JsonOut {
 public:
  JsonOut();
  rapidjson::Writer<rapidjson::StringBuffer>& w() { return writer_; }

  void StartObject() { writer_.StartObject(); }
  void EndObject() { writer_.EndObject(); }
  void StartArray() { writer_.StartArray(); }
  void EndArray() { writer_.EndArray(); }
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(std::int64_t value) { writer_.Int64(value); }
  void Bool(bool value) { writer_.Bool(value); }
  // Canonical number: integral values in int64 range as integers, others in the shortest
  // form that reads back to the same double (std::to_chars).
  void Number(double value);

  void Field(std::string_view key, std::string_view value);
  void Field(std::string_view key, const char* value) { Field(key, std::string_view(value)); }
  void Field(std::string_view key, std::int64_t value);
  void Field(std::string_view key, int value) { Field(key, static_cast<std::int64_t>(value)); }
  void Field(std::string_view key, bool value);
  void Field(std::string_view key, double value) {
    Key(key);
    Number(value);
  }
  // "key":[...] of strings (also when empty).
  void Field(std::string_view key, const std::vector<std::string>& values);
  // "key": a message (any type with `void Write(JsonOut&) const`), a list of them (written
  // also when empty), or an optional one (nothing at all when empty).
  template <typename M>
  requires requires(const M& m, JsonOut& out) { m.Write(out); }
  void Field(std::string_view key, const M& message) {
    Key(key);
    message.Write(*this);
  }
  template <typename M>
  requires requires(const M& m, JsonOut& out) { m.Write(out); }
  void Field(std::string_view key, const std::vector<M>& messages) {
    Key(key);
    StartArray();
    for (const M& m : messages) m.Write(*this);
    EndArray();
  }
  template <typename M>
  void Field(std::string_view key, const std::optional<M>& message) {
    if (message) Field(key, *message);
  }
  // "key": the value as above, or nothing at all when it is the default (see OmitDefault).
  template <typename T>
  void Field(std::string_view key, const OmitDefault<T>& member) {
    if constexpr (requires { member.value.empty(); }) {
      if (member.value.empty()) return;
    } else {
      if (member.value == T{}) return;
    }
    Field(key, member.value);
  }
  // A whole object of members written in the order given (each as Field writes it):
  // out.Object("t", server_time, "state", state) writes {"t":...,"state":"..."}.
  template <typename... KeysAndValues>
  void Object(const KeysAndValues&... keys_and_values) {
    StartObject();
    Fields(keys_and_values...);
    EndObject();
  }

  std::string Take() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  void Fields() {}
  template <typename Value, typename... Rest>
  void Fields(std::string_view key, const Value& value, const Rest&... rest) {
    Field(key, value);
    Fields(rest...);
  }

  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

// True when arrays and objects in `json` nest deeper than `max` levels (the root is level 1).
// One pass over the bytes, aware of strings and escapes; says nothing about syntax.
bool JsonNestedDeeperThan(std::string_view json, std::size_t max);
// True when `s` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF), by utf8proc: the
// same decoder as the client's (mano/client/utf8.h).
bool IsValidUtf8(std::string_view s);
// `s` with every byte that does not belong to a valid UTF-8 sequence replaced by U+FFFD (for
// text that quotes what a peer sent, so a reply stays valid JSON).
std::string ToValidUtf8(std::string_view s);
// Number of code points in valid UTF-8 `s`.
std::size_t CodePointCount(std::string_view s);
// True for 1..kMaxIdLength bytes of [A-Za-z0-9._:-].
bool IsValidId(std::string_view s);

// Reads member `name` as one of the names in `table`; an unknown name fails with `unknown`,
// naming the member.
template <typename Enum, std::size_t N>
Enum EnumMember(const JsonIn& in, const char* name, const storage::EnumName<Enum> (&table)[N],
                const char* unknown) {
  JsonIn member = in.Member(name);
  std::optional<Enum> value = storage::ValueOf(table, member.String());
  if (!value) member.Fail(unknown);
  return *value;
}

// Reads member `name` as an array of T (T::Read for each), at most `max` entries.
// Absent (or null) gives {} unless `required`, which throws naming the member.
template <class T>
std::vector<T> ReadArray(const JsonIn& in, const char* name, std::size_t max, bool required) {
  std::vector<T> out;
  std::optional<JsonIn> list =
      required ? std::optional<JsonIn>(in.Member(name)) : in.OptMember(name);
  if (!list) return out;
  std::size_t n = list->Size();
  if (n > max) list->Fail("too many entries (limit " + std::to_string(max) + ")");
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(T::Read(list->At(i)));
  return out;
}

// Writes "name":[...] with item.Write for each item (also when empty).
template <class T>
void WriteArray(JsonOut& out, const char* name, const std::vector<T>& items) {
  out.Field(name, items);
}

// Every message type M below offers `void Write(JsonOut&) const` and
// `static M Read(const JsonIn&)`; these give the string forms.
template <class M>
std::string ToJsonString(const M& message) {
  JsonOut out;
  message.Write(out);
  return out.Take();
}
template <class M>
M FromJsonString(std::string_view json, std::size_t max_bytes = kMaxDecompressedBytes) {
  JsonDocument doc(json, max_bytes);
  return M::Read(doc.Root());
}

}  // namespace mano::sync

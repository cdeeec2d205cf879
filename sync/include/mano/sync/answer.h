// An answer: the worker's values for a form's fields, keyed by field name.
//
// Wire form: a JSON object, field name -> value, where a value is a string (single, text),
// an array of strings (multi), an integer (scale), a number (number), or an array of boxes
// {"x":int,"y":int,"w":int,"h":int,"l":"label"} (boxes). An empty array is read as an empty
// list and accepted for multi and boxes fields alike. Absent field = not answered.
//
// Canonical form (what the receipt's hash covers): ToJson(), RFC 8785 (JCS, jcs.h).
// LegacyJson() is the form before JCS (canonicalization version 1: members sorted by key
// bytes, numbers as JsonOut::Number writes them, strings escaped as rapidjson does), kept only
// to check receipts and evidence made under version 1.
// Numbers beyond +-(2^53 - 1) are refused on reading: JCS could not keep them exactly.
// Reading is independent of any form; validate.h checks types against the form.
// Plain value type; thread safety as for std::map.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mano/sync/json_util.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

// What Answer::Read throws for a number beyond +-(2^53 - 1) (kBadMessage, naming the member):
// a distinct type so that a server can judge that one result invalid rather than refuse the
// whole request (PROTOCOL.md section 6).
class InexactNumber : public SyncError {
 public:
  explicit InexactNumber(const std::string& path);
};

struct Box {
  std::int64_t x = 0, y = 0, w = 0, h = 0;  // pixels; origin top-left
  std::string label;                        // wire key "l"; may be empty

  bool operator==(const Box&) const = default;
};

using AnswerValue =
    std::variant<std::string, std::vector<std::string>, std::int64_t, double, std::vector<Box>>;

class Answer {
 public:
  Answer() = default;

  void Set(const std::string& field, AnswerValue value) { values_[field] = std::move(value); }
  void Erase(const std::string& field) { values_.erase(field); }
  // nullptr when the field has no value.
  const AnswerValue* Get(std::string_view field) const;
  const std::map<std::string, AnswerValue, std::less<>>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

  bool operator==(const Answer&) const = default;

  void Write(JsonOut& out) const;
  // Throws SyncError{kBadMessage} naming e.g. "v.score" for null, booleans, objects,
  // mixed arrays, or boxes with non-integer coordinates; InexactNumber (a SyncError) for a
  // number JCS cannot keep exactly.
  static Answer Read(const JsonIn& in);
  // Canonical JSON, RFC 8785 (see above).
  std::string ToJson() const;
  // Version 1 canonical JSON (see above); only for receipts of canonicalization version 1.
  std::string LegacyJson() const { return ToJsonString(*this); }
  // At most `max_bytes`: by default as large as an uploaded answer may be (64 MiB), since a
  // stored or drafted answer may be that large. Read, Read's checks and the errors are the
  // same for the three forms (one SAX reader, no document: the answer is built as it is parsed).
  static Answer FromJson(std::string_view json, std::size_t max_bytes = kMaxUploadBytes);
  // The same, for text that arrives in pieces (an upload's chunks as the store reads them):
  // `next` returns the next piece, valid until the next call, and an empty one at the end.
  // Memory is the answer and one piece. Exceptions of `next` reach the caller.
  static Answer FromJsonPieces(const std::function<std::string_view()>& next,
                               std::size_t max_bytes);
  // Lower-case hex SHA-256 of ToJson(): the "h" of a receipt.
  std::string Hash() const;
  // Lower-case hex SHA-256 of LegacyJson(): the "h" of a version-1 receipt.
  std::string LegacyHash() const;
  // The hash under canonicalization version `cv` (kCanonLegacy or kCanonJcs).
  std::string HashFor(int cv) const { return cv == 1 ? LegacyHash() : Hash(); }

 private:
  std::map<std::string, AnswerValue, std::less<>> values_;
};

}  // namespace mano::sync

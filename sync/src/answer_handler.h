// The one reader of answers (answer.h's wire form), as a RapidJSON SAX handler: it builds the
// Answer from parse events, so the same checks serve an answer inside a parsed message
// (a document's value replayed with Accept), a string, and an uploaded answer of up to 64 MiB
// read chunk by chunk (rapidjson::Reader over a JsonPieceStream: no document, memory is the
// answer and one chunk).
//
// Checks, each naming its path as JsonIn does ("results[0].v.b[2].x: ..."): the root is an
// object of at most kMaxFields members with valid ids, none given twice; a value is a string
// (valid UTF-8 after unescaping), a number (integral ones read as integers; beyond
// +-(2^53 - 1): InexactNumber), or an array: empty, of at most kMaxOptions strings, or of at
// most kMaxBoxes box objects (x, y, w, h integers, l an optional string; other members
// ignored); nesting at most kMaxJsonDepth. A failure is kept (the handler answers false, which
// stops the parser) and thrown by the caller through ThrowIfFailed().
// Thread safety: none; one handler per parse.
#pragma once

#include <rapidjson/reader.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "mano/sync/answer.h"

namespace mano::sync {

class AnswerHandler {
 public:
  // `path` is where the answer sits ("" for a whole text, "results[3].v" in a message).
  explicit AnswerHandler(std::string path) : path_(std::move(path)) {}

  bool Null() { return Scalar(kNull); }
  bool Bool(bool) { return Scalar(kBoolean); }
  bool Int(int v) { return Integer(v); }
  bool Uint(unsigned v) { return Integer(v); }
  bool Int64(std::int64_t v) { return Integer(v); }
  bool Uint64(std::uint64_t v);
  bool Double(double v);
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return Scalar(kNumber); }
  bool String(const char* s, rapidjson::SizeType n, bool copy);
  bool Key(const char* s, rapidjson::SizeType n, bool copy);
  bool StartObject();
  bool EndObject(rapidjson::SizeType);
  bool StartArray();
  bool EndArray(rapidjson::SizeType);

  // After the events: throws the failure that stopped them, if any.
  void ThrowIfFailed() const;
  // True once the root object has ended.
  bool done() const { return state_ == State::kDone; }
  Answer Take() { return std::move(answer_); }

 private:
  enum class State { kRoot, kFields, kValue, kList, kBox, kBoxValue, kSkip, kDone };
  enum Kind { kNull, kBoolean, kNumber, kString, kArray, kObject };
  enum class List { kUnknown, kStrings, kBoxes };

  bool Scalar(Kind kind);
  bool Integer(std::int64_t v);
  bool Open(Kind kind);
  bool Close();
  // Records the failure (what JsonIn::Fail would throw at `where`) and stops the parse.
  bool Fail(const std::string& where, const std::string& what);
  bool Inexact(const std::string& where);
  bool FieldValue(AnswerValue value);
  std::string ElementPath() const;
  std::string MemberPath() const;

  std::string path_;
  State state_ = State::kRoot;
  std::size_t depth_ = 0;       // nesting of arrays and objects, the root object being 1
  std::size_t skip_depth_ = 0;  // within a box member being skipped
  Answer answer_;
  std::size_t fields_ = 0;
  std::string field_;       // the member being read
  std::string field_path_;  // path_ + field_
  List list_ = List::kUnknown;
  std::size_t index_ = 0;  // elements of the list read so far
  std::vector<std::string> strings_;
  std::vector<Box> boxes_;
  Box box_;
  unsigned box_seen_ = 0;  // bits: x, y, w, h, l present (a later duplicate is ignored)
  unsigned box_set_ = 0;   // bits: x, y, w, h given a value (null is absent)
  int member_ = -1;        // the box member whose value comes next
  std::exception_ptr failure_;
};

}  // namespace mano::sync

#include "answer_handler.h"

#include <cmath>

#include "mano/sync/jcs.h"
#include "mano/sync/json_util.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

namespace {

constexpr const char* kBoxMembers[] = {"x", "y", "w", "h", "l"};
constexpr int kLabel = 4;

const char* KindName(int kind) {
  static constexpr const char* kNames[] = {"null",     "a boolean", "a number",
                                           "a string", "an array",  "an object"};
  return kNames[kind];
}

bool Exact(std::int64_t v) { return v <= kMaxExactInteger && v >= -kMaxExactInteger; }

}  // namespace

bool AnswerHandler::Fail(const std::string& where, const std::string& what) {
  failure_ = std::make_exception_ptr(
      SyncError(SyncErrorKind::kBadMessage, (where.empty() ? "body" : where) + ": " + what, where));
  return false;
}

bool AnswerHandler::Inexact(const std::string& where) {
  failure_ = std::make_exception_ptr(InexactNumber(where));
  return false;
}

void AnswerHandler::ThrowIfFailed() const {
  if (failure_) std::rethrow_exception(failure_);
}

std::string AnswerHandler::ElementPath() const {
  return field_path_ + "[" + std::to_string(index_) + "]";
}

std::string AnswerHandler::MemberPath() const { return ElementPath() + "." + kBoxMembers[member_]; }

bool AnswerHandler::FieldValue(AnswerValue value) {
  answer_.Set(field_, std::move(value));
  ++fields_;
  state_ = State::kFields;
  return true;
}

// Anything but a string or a number where one of those belongs (or a number where it does
// not), with the words JsonIn uses.
bool AnswerHandler::Scalar(Kind kind) {
  switch (state_) {
    case State::kRoot:
      return Fail(path_, "expected an object of field values");
    case State::kValue:
      return Fail(field_path_, "expected a string, a number or an array");
    case State::kList:
      if (list_ == List::kStrings) {
        if (index_ >= kMaxOptions) return Fail(field_path_, "too many values");
        return Fail(ElementPath(), std::string("expected a string, got ") + KindName(kind));
      }
      if (list_ == List::kBoxes && index_ >= kMaxBoxes) return Fail(field_path_, "too many boxes");
      return Fail(ElementPath(), "expected a box object or a string");
    case State::kBoxValue:
      if (member_ == kLabel) {
        if (kind == kNull) {  // absent, like "l" not given
          state_ = State::kBox;
          return true;
        }
        return Fail(MemberPath(), std::string("expected a string, got ") + KindName(kind));
      }
      if (kind == kNull) {  // a required member that is null is missing
        state_ = State::kBox;
        return true;
      }
      return Fail(MemberPath(), std::string("expected an integer, got ") + KindName(kind));
    case State::kSkip:
      if (skip_depth_ == 0) state_ = State::kBox;
      return true;
    default:
      return Fail(path_, "unexpected value");  // the parser never gets here
  }
}

bool AnswerHandler::Integer(std::int64_t v) {
  if (state_ == State::kValue) return Exact(v) ? FieldValue(v) : Inexact(field_path_);
  if (state_ == State::kBoxValue && member_ != kLabel) {
    if (!Exact(v)) return Inexact(MemberPath());
    std::int64_t* coordinate[] = {&box_.x, &box_.y, &box_.w, &box_.h};
    *coordinate[member_] = v;
    box_set_ |= 1u << member_;
    state_ = State::kBox;
    return true;
  }
  return Scalar(kNumber);
}

bool AnswerHandler::Uint64(std::uint64_t v) {
  if (v <= static_cast<std::uint64_t>(INT64_MAX)) return Integer(static_cast<std::int64_t>(v));
  if (state_ == State::kValue) return Inexact(field_path_);
  if (state_ == State::kBoxValue && member_ != kLabel) return Inexact(MemberPath());
  return Scalar(kNumber);
}

bool AnswerHandler::Double(double d) {
  if (state_ == State::kValue) {
    if (!std::isfinite(d)) return Fail(field_path_, "number out of range");
    // Integral values read as integers (2.0 and 2 are the same answer, -0 is 0), as JCS
    // writes them, so reading is canonical and a round trip is exact. Every double of this
    // magnitude is integral, so the limit also covers 1e300.
    if (std::fabs(d) > static_cast<double>(kMaxExactInteger)) return Inexact(field_path_);
    if (d == std::floor(d)) return FieldValue(static_cast<std::int64_t>(d));
    return FieldValue(d);
  }
  if (state_ == State::kBoxValue && member_ != kLabel &&
      std::fabs(d) > static_cast<double>(kMaxExactInteger)) {
    return Inexact(MemberPath());
  }
  return Scalar(kNumber);
}

bool AnswerHandler::String(const char* s, rapidjson::SizeType n, bool) {
  const std::string_view text(s, n);
  // \u escapes can smuggle lone surrogates past the parser's encoding check.
  switch (state_) {
    case State::kValue:
      if (!IsValidUtf8(text)) return Fail(field_path_, "invalid UTF-8 in string");
      return FieldValue(std::string(text));
    case State::kList:
      if (list_ == List::kUnknown) list_ = List::kStrings;
      if (list_ != List::kStrings) return Scalar(kString);
      if (index_ >= kMaxOptions) return Fail(field_path_, "too many values");
      if (!IsValidUtf8(text)) return Fail(ElementPath(), "invalid UTF-8 in string");
      strings_.emplace_back(text);
      ++index_;
      return true;
    case State::kBoxValue:
      if (member_ != kLabel) return Scalar(kString);
      if (!IsValidUtf8(text)) return Fail(MemberPath(), "invalid UTF-8 in string");
      box_.label = std::string(text);
      state_ = State::kBox;
      return true;
    default:
      return Scalar(kString);
  }
}

bool AnswerHandler::Key(const char* s, rapidjson::SizeType n, bool) {
  const std::string_view name(s, n);
  if (state_ == State::kFields) {
    std::string path = path_.empty() ? std::string(name) : path_ + "." + std::string(name);
    if (!IsValidId(name)) return Fail(path, "field name is not a valid id");
    if (answer_.Get(name)) return Fail(path, "field given twice");
    if (fields_ >= kMaxFields) return Fail(path, "too many fields");
    field_ = std::string(name);
    field_path_ = std::move(path);
    state_ = State::kValue;
    return true;
  }
  if (state_ == State::kBox) {
    member_ = -1;
    for (int i = 0; i <= kLabel; ++i) {
      if (name == kBoxMembers[i]) member_ = i;
    }
    // The first of a member given twice counts (as a document's FindMember finds it);
    // unknown members are ignored.
    if (member_ >= 0 && !(box_seen_ & (1u << member_))) {
      box_seen_ |= 1u << member_;
      state_ = State::kBoxValue;
    } else {
      state_ = State::kSkip;
      skip_depth_ = 0;
    }
  }
  return true;  // in a skipped member's objects
}

bool AnswerHandler::Open(Kind kind) {
  if (++depth_ > kMaxJsonDepth) {
    try {
      ThrowJsonTooDeep();
    } catch (...) {
      failure_ = std::current_exception();
    }
    return false;
  }
  switch (state_) {
    case State::kRoot:
      if (kind != kObject) return Scalar(kind);
      state_ = State::kFields;
      return true;
    case State::kValue:
      if (kind != kArray) return Scalar(kind);
      state_ = State::kList;
      list_ = List::kUnknown;
      index_ = 0;
      strings_.clear();
      boxes_.clear();
      return true;
    case State::kList:
      if (kind != kObject) return Scalar(kind);
      if (list_ == List::kUnknown) list_ = List::kBoxes;
      if (list_ != List::kBoxes) return Scalar(kind);
      if (index_ >= kMaxBoxes) return Fail(field_path_, "too many boxes");
      box_ = Box{};
      box_seen_ = box_set_ = 0;
      state_ = State::kBox;
      return true;
    case State::kSkip:
      ++skip_depth_;
      return true;
    default:
      return Scalar(kind);
  }
}

bool AnswerHandler::Close() {
  --depth_;
  switch (state_) {
    case State::kFields:
      state_ = State::kDone;
      return true;
    case State::kList:
      if (list_ == List::kBoxes) return FieldValue(std::move(boxes_));
      return FieldValue(std::move(strings_));
    case State::kBox:
      for (int i = 0; i < kLabel; ++i) {
        if (!(box_set_ & (1u << i))) {
          return Fail(ElementPath() + "." + kBoxMembers[i], "missing required field");
        }
      }
      boxes_.push_back(std::move(box_));
      ++index_;
      state_ = State::kList;
      return true;
    case State::kSkip:
      if (--skip_depth_ == 0) state_ = State::kBox;
      return true;
    default:
      return Fail(path_, "unexpected end");  // the parser never gets here
  }
}

bool AnswerHandler::StartObject() { return Open(kObject); }
bool AnswerHandler::EndObject(rapidjson::SizeType) { return Close(); }
bool AnswerHandler::StartArray() { return Open(kArray); }
bool AnswerHandler::EndArray(rapidjson::SizeType) { return Close(); }

}  // namespace mano::sync

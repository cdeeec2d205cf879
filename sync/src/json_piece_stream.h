// A RapidJSON input stream over JSON text that arrives in pieces (an upload's chunks as the
// store reads them, or one piece: a string in memory), so that rapidjson::Reader parses it
// without the whole text ever being in one buffer. It holds only the current piece.
//
// It never throws into the parser: a NUL byte or the byte past `max_bytes` ends the text there
// ('\0', as at the end), and so does a failure of the source. Afterwards the caller throws the
// source's failure (ThrowIfSourceFailed), then its own, then the stop if the parser got that
// far (stopped_at(): a parse that failed before it failed for its own reason), so text read
// whole or in pieces of any size is refused for the same reason.
// Thread safety: none; one parse at a time.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <string_view>

#include "mano/sync/json_util.h"

namespace mano::sync {

class JsonPieceStream {
 public:
  using Ch = char;
  // `next` returns the next piece (valid until the next call), an empty one at the end.
  JsonPieceStream(const std::function<std::string_view()>& next, std::size_t max_bytes)
      : next_(next), max_bytes_(max_bytes) {}

  Ch Peek() {
    if (pos_ == piece_.size() && !Fill()) return '\0';
    return piece_[pos_];
  }
  Ch Take() {
    const Ch c = Peek();
    if (pos_ < piece_.size()) ++pos_;
    return c;
  }
  std::size_t Tell() const { return before_ + pos_; }

  void ThrowIfSourceFailed() const {
    if (failure_) std::rethrow_exception(failure_);
  }
  // Where a NUL byte or the size limit ended the text, if one did.
  std::optional<std::size_t> stopped_at() const { return stop_at_; }
  [[noreturn]] void ThrowStop() const {
    if (too_large_) ThrowJsonTooLarge();
    ThrowMalformedJson(stop_at_.value_or(0), "a NUL byte");
  }

  // Writing is not supported (the parser never writes to a stream it does not parse in place).
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  bool Fill() {
    before_ += piece_.size();
    piece_ = {};
    pos_ = 0;
    if (ended_ || stop_at_) return End();
    try {
      piece_ = next_();
    } catch (...) {
      failure_ = std::current_exception();
      piece_ = {};
      return End();
    }
    if (piece_.empty()) return End();  // the text's end (its data may be null: no memchr)
    const std::size_t room = max_bytes_ - std::min(max_bytes_, before_);
    if (piece_.size() > room) {
      piece_ = piece_.substr(0, room);
      too_large_ = true;
      stop_at_ = before_ + room;
    }
    // A NUL is never valid JSON outside a string and never raw inside one; the parser would
    // take it for the end of the text.
    if (const void* nul = std::memchr(piece_.data(), '\0', piece_.size())) {
      piece_ =
          piece_.substr(0, static_cast<std::size_t>(static_cast<const char*>(nul) - piece_.data()));
      too_large_ = false;
      stop_at_ = before_ + piece_.size();
    }
    return piece_.empty() ? End() : true;
  }
  bool End() {
    ended_ = true;
    return false;
  }

  const std::function<std::string_view()>& next_;
  const std::size_t max_bytes_;
  std::string_view piece_;
  std::size_t pos_ = 0;
  std::size_t before_ = 0;  // bytes in the pieces before this one
  bool ended_ = false;
  bool too_large_ = false;  // what stopped the text at stop_at_: the limit, else a NUL
  std::optional<std::size_t> stop_at_;
  std::exception_ptr failure_;
};

}  // namespace mano::sync

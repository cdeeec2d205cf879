// A RapidJSON input stream over JSON text that arrives in pieces (an upload's chunks as the
// store reads them, or one piece: a string in memory), so that rapidjson::Reader parses it
// without the whole text ever being in one buffer. It holds only the current piece.
//
// It never throws into the parser: a NUL byte, text past `max_bytes` or a failure of the
// source ends the text where it happened ('\0', as at the end) and is reported afterwards by
// ThrowIfStopped(), which the caller checks before the parser's own error.
// Thread safety: none; one parse at a time.
#pragma once

#include <cstddef>
#include <algorithm>
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

  // Throws what stopped the text early, if anything did.
  void ThrowIfStopped() const {
    if (failure_) std::rethrow_exception(failure_);
    if (too_large_) ThrowJsonTooLarge();
    if (nul_at_) ThrowMalformedJson(*nul_at_, "a NUL byte");
  }

  // Writing is not supported (the parser never writes to a stream it does not parse in place).
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  bool Fill() {
    if (ended_) return false;
    before_ += piece_.size();
    piece_ = {};
    pos_ = 0;
    try {
      piece_ = next_();
    } catch (...) {
      failure_ = std::current_exception();
    }
    if (failure_ || piece_.empty()) return Stop();
    if (piece_.size() > max_bytes_ - std::min(max_bytes_, before_)) {
      too_large_ = true;
      return Stop();
    }
    // A NUL is never valid JSON outside a string and never raw inside one; the parser would
    // take it for the end of the text.
    if (const void* nul = std::memchr(piece_.data(), '\0', piece_.size())) {
      nul_at_ = before_ + static_cast<std::size_t>(static_cast<const char*>(nul) - piece_.data());
      return Stop();
    }
    return true;
  }
  bool Stop() {
    ended_ = true;
    piece_ = {};
    pos_ = 0;
    return false;
  }

  const std::function<std::string_view()>& next_;
  const std::size_t max_bytes_;
  std::string_view piece_;
  std::size_t pos_ = 0;
  std::size_t before_ = 0;  // bytes in the pieces before this one
  bool ended_ = false;
  bool too_large_ = false;
  std::optional<std::size_t> nul_at_;
  std::exception_ptr failure_;
};

}  // namespace mano::sync

#pragma once

// Time as flakynet sees it: one monotonic clock for the whole proxy. Pure helpers
// (TokenBucket, Schedule) take time points as arguments so unit tests can drive time.

#include <chrono>
#include <cstdint>

namespace mano::flakynet {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

// Whole milliseconds from `from` to `to` (negative if `to` is earlier).
inline int64_t MillisBetween(TimePoint from, TimePoint to) {
  return std::chrono::duration_cast<Millis>(to - from).count();
}

}  // namespace mano::flakynet

#pragma once

// TokenBucket: the bandwidth cap of one direction of the link. Tokens are bytes; they
// accrue at `rate` bytes per second up to `burst`, and a byte may cross only when a token
// is taken for it. So over any window of length T, at most rate*T + burst bytes are taken.
// A rate of 0 means unlimited. The bucket starts full.
//
// Time is passed in by the caller (no clock inside), so tests can drive it. Not thread-safe.

#include <cstdint>
#include <limits>

#include "clock.h"

namespace mano::flakynet {

class TokenBucket {
 public:
  static constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

  TokenBucket(uint64_t rate, uint64_t burst, TimePoint now);

  // Changes rate and burst from `now` on; the tokens held are kept, capped at the new burst.
  void Configure(uint64_t rate, uint64_t burst, TimePoint now);

  // Whole tokens available at `now` (kUnlimited when the rate is 0).
  uint64_t Available(TimePoint now);

  // Takes `n` tokens; the caller must have seen at least `n` available.
  void Take(uint64_t n);

  // The earliest time at which `n` tokens (capped at burst) will be available; `now`
  // if they already are.
  TimePoint WhenAvailable(uint64_t n, TimePoint now);

  bool unlimited() const { return rate_ == 0; }
  uint64_t rate() const { return rate_; }
  uint64_t burst() const { return burst_; }

 private:
  void Refill(TimePoint now);

  uint64_t rate_;
  uint64_t burst_;
  double tokens_;
  TimePoint last_;
};

}  // namespace mano::flakynet

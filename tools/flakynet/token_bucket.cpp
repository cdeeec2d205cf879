#include "token_bucket.h"

#include <algorithm>
#include <cmath>

namespace mano::flakynet {

TokenBucket::TokenBucket(uint64_t rate, uint64_t burst, TimePoint now)
    : rate_(rate), burst_(std::max<uint64_t>(burst, 1)), tokens_(double(burst_)), last_(now) {}

void TokenBucket::Configure(uint64_t rate, uint64_t burst, TimePoint now) {
  Refill(now);
  rate_ = rate;
  burst_ = std::max<uint64_t>(burst, 1);
  tokens_ = std::min(tokens_, double(burst_));
}

void TokenBucket::Refill(TimePoint now) {
  if (now <= last_) return;
  double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(double(burst_), tokens_ + seconds * double(rate_));
  last_ = now;
}

uint64_t TokenBucket::Available(TimePoint now) {
  if (unlimited()) return kUnlimited;
  Refill(now);
  return static_cast<uint64_t>(std::floor(tokens_));
}

void TokenBucket::Take(uint64_t n) {
  if (unlimited()) return;
  tokens_ = std::max(0.0, tokens_ - double(n));
}

TimePoint TokenBucket::WhenAvailable(uint64_t n, TimePoint now) {
  if (unlimited()) return now;
  Refill(now);
  double want = double(std::min(n, burst_));
  if (tokens_ >= want) return now;
  double seconds = (want - tokens_) / double(rate_);
  // Round up to whole microseconds so the caller never wakes a hair too early.
  auto wait = std::chrono::microseconds(static_cast<int64_t>(std::ceil(seconds * 1e6)));
  return now + std::chrono::duration_cast<Clock::duration>(wait);
}

}  // namespace mano::flakynet

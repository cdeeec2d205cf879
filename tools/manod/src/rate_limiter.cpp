#include "rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace mano::manod {

RateLimiter::RateLimiter(double rate_per_second, double burst)
    : rate_(std::max(rate_per_second, 0.001)), burst_(std::max(burst, 1.0)) {}

int64_t RateLimiter::Take(int64_t worker, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(worker, Bucket{burst_, now_ms});
  Bucket& b = it->second;
  if (now_ms > b.last_ms) {
    b.tokens = std::min(burst_, b.tokens + (now_ms - b.last_ms) * rate_ / 1000.0);
    b.last_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  double wait_s = (1.0 - b.tokens) / rate_;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_s)));
}

}  // namespace mano::manod

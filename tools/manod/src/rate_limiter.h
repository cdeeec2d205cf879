// RateLimiter: one token bucket per worker. Each request takes a token; tokens come back at
// `rate_per_second` up to `burst`. When the bucket is empty, Take() says how long to wait, which
// manod sends as Retry-After with a 429. Thread-safe (one mutex; the work under it is tiny).
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace mano::manod {

class RateLimiter {
 public:
  RateLimiter(double rate_per_second, double burst);

  // Takes one token for `worker` at time `now_ms` (any monotonic milliseconds). Returns 0 when
  // the request may go ahead, otherwise the whole seconds (>= 1) until a token is back.
  int64_t Take(int64_t worker, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t last_ms;
  };
  const double rate_;
  const double burst_;
  std::mutex mu_;
  std::unordered_map<int64_t, Bucket> buckets_;
};

}  // namespace mano::manod

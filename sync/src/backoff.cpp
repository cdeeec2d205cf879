#include "mano/sync/backoff.h"

#include <algorithm>

namespace mano::sync {

Backoff::Backoff(BackoffOptions options)
    : options_(options), rng_(options.seed ? options.seed : std::random_device{}()) {
  options_.base_ms = std::max<int64_t>(1, options_.base_ms);
  options_.cap_ms = std::max(options_.cap_ms, options_.base_ms);
  options_.min_ms = std::clamp<int64_t>(options_.min_ms, 0, options_.cap_ms);
}

int64_t Backoff::Ceiling(int failures) const {
  int64_t ceiling = options_.base_ms;
  for (int i = 0; i < failures && ceiling < options_.cap_ms; ++i) ceiling *= 2;
  return std::min(ceiling, options_.cap_ms);
}

int64_t Backoff::Fail(std::optional<int64_t> retry_after_ms) {
  const int64_t ceiling = Ceiling(failures_);
  if (failures_ < 64) ++failures_;
  std::uniform_int_distribution<int64_t> pick(options_.min_ms, std::max(options_.min_ms, ceiling));
  int64_t delay = pick(rng_);
  if (retry_after_ms) {
    delay = std::max(delay, std::clamp<int64_t>(*retry_after_ms, 0, options_.max_retry_after_ms));
  }
  return delay;
}

}  // namespace mano::sync

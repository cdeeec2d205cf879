// Backoff: when to try a server again after a failure. Exponential with full jitter
// (AWS "Exponential Backoff And Jitter"): after the n-th failure in a row the delay is
// uniform in [min_ms, min(cap_ms, base_ms * 2^n)]. A Retry-After from the server is a
// floor: the delay is never shorter than what the server asked for (itself capped at
// max_retry_after_ms so a hostile header cannot park the client for a year).
// The RNG is seeded, so tests (and the "does not hammer" bound) can replay a schedule.
// Thread safety: not thread-safe; one Backoff per account, used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace mano::sync {

struct BackoffOptions {
  int64_t base_ms = 1'000;
  int64_t cap_ms = 5 * 60'000;
  int64_t min_ms = 500;  // floor of every delay, so a run of failures cannot spin
  int64_t max_retry_after_ms = 60 * 60'000;
  uint64_t seed = 0;  // 0: seeded from std::random_device
};

class Backoff {
 public:
  explicit Backoff(BackoffOptions options = {});

  // Records a failure and returns the delay before the next attempt.
  int64_t Fail(std::optional<int64_t> retry_after_ms = std::nullopt);
  // Records a success: the next failure starts from the base again.
  void Succeed() { failures_ = 0; }

  int failures() const { return failures_; }
  void set_failures(int failures) { failures_ = failures < 0 ? 0 : failures; }
  // Upper bound of the delay after `failures` failures in a row (no jitter, no Retry-After).
  int64_t Ceiling(int failures) const;
  const BackoffOptions& options() const { return options_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 rng_;
  int failures_ = 0;
};

}  // namespace mano::sync

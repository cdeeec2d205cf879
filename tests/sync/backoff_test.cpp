#include "mano/sync/backoff.h"

#include <catch2/catch.hpp>

using mano::sync::Backoff;
using mano::sync::BackoffOptions;

namespace {
BackoffOptions Seeded(uint64_t seed) {
  BackoffOptions options;
  options.base_ms = 1000;
  options.cap_ms = 60'000;
  options.min_ms = 200;
  options.seed = seed;
  return options;
}
}  // namespace

TEST_CASE("the ceiling doubles per failure and stops at the cap", "[backoff]") {
  Backoff backoff(Seeded(1));
  CHECK(backoff.Ceiling(0) == 1000);
  CHECK(backoff.Ceiling(1) == 2000);
  CHECK(backoff.Ceiling(5) == 32'000);
  CHECK(backoff.Ceiling(6) == 60'000);
  CHECK(backoff.Ceiling(200) == 60'000);
}

TEST_CASE("delays are jittered within [min, ceiling] and reset on success", "[backoff]") {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    Backoff backoff(Seeded(seed));
    for (int i = 0; i < 12; ++i) {
      const int64_t ceiling = backoff.Ceiling(backoff.failures());
      const int64_t delay = backoff.Fail();
      CHECK(delay >= 200);
      CHECK(delay <= ceiling);
    }
    CHECK(backoff.failures() == 12);
    backoff.Succeed();
    CHECK(backoff.failures() == 0);
    CHECK(backoff.Fail() <= 1000);
  }
}

TEST_CASE("full jitter spreads delays over the whole range", "[backoff]") {
  Backoff backoff(Seeded(7));
  int64_t low = INT64_MAX, high = 0;
  for (int i = 0; i < 200; ++i) {
    backoff.set_failures(10);  // ceiling = cap
    const int64_t delay = backoff.Fail();
    low = std::min(low, delay);
    high = std::max(high, delay);
  }
  CHECK(low < 15'000);
  CHECK(high > 45'000);
}

TEST_CASE("the same seed replays the same schedule", "[backoff]") {
  Backoff a(Seeded(42)), b(Seeded(42)), c(Seeded(43));
  bool differs = false;
  for (int i = 0; i < 10; ++i) {
    const int64_t x = a.Fail(), y = b.Fail(), z = c.Fail();
    CHECK(x == y);
    differs = differs || x != z;
  }
  CHECK(differs);
}

TEST_CASE("Retry-After is a floor, itself capped", "[backoff]") {
  auto options = Seeded(3);
  options.max_retry_after_ms = 120'000;
  Backoff backoff(options);
  CHECK(backoff.Fail(90'000) == 90'000);  // ceiling 1 s: the server's wish wins
  CHECK(backoff.Fail(10 * 3'600'000) == 120'000);
  backoff.set_failures(10);
  const int64_t delay = backoff.Fail(0);
  CHECK(delay >= 200);
  CHECK(delay <= 60'000);
}

// manod's per-worker token bucket (tools/manod/src/rate_limiter.h), driven by hand-given
// milliseconds: no sleeping, no clock.
#include "rate_limiter.h"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using mano::manod::RateLimiter;

TEST_CASE("rate limiter: a full bucket lets `burst` requests through, then says how long",
          "[unit]") {
  RateLimiter limiter(/*rate_per_second=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) CHECK(limiter.Take(1, 1000) == 0);
  CHECK(limiter.Take(1, 1000) == 1);  // half a second to the next token: rounded up to 1 s
  CHECK(limiter.Take(1, 1499) == 1);
  CHECK(limiter.Take(1, 1500) == 0);  // one token back after 500 ms at 2/s
  CHECK(limiter.Take(1, 1500) == 1);
}

TEST_CASE("rate limiter: tokens come back at the rate, never above the burst", "[unit]") {
  RateLimiter limiter(1, 2);
  CHECK(limiter.Take(7, 0) == 0);
  CHECK(limiter.Take(7, 0) == 0);
  CHECK(limiter.Take(7, 0) >= 1);
  // An hour idle refills to the burst, not to 3,600 tokens.
  CHECK(limiter.Take(7, 3'600'000) == 0);
  CHECK(limiter.Take(7, 3'600'000) == 0);
  CHECK(limiter.Take(7, 3'600'000) >= 1);
}

TEST_CASE("rate limiter: the wait is whole seconds, at least one, from the rate", "[unit]") {
  RateLimiter slow(0.1, 1);  // one request every 10 s
  CHECK(slow.Take(1, 0) == 0);
  CHECK(slow.Take(1, 0) == 10);
  CHECK(slow.Take(1, 4000) == 6);
  CHECK(slow.Take(1, 9999) == 1);
  CHECK(slow.Take(1, 10000) == 0);
}

TEST_CASE("rate limiter: each worker has its own bucket", "[unit]") {
  RateLimiter limiter(1, 1);
  CHECK(limiter.Take(1, 0) == 0);
  CHECK(limiter.Take(1, 0) >= 1);
  CHECK(limiter.Take(2, 0) == 0);  // another worker is not held up by the first
}

TEST_CASE("rate limiter: a clock that goes back takes no tokens and gives none", "[unit]") {
  RateLimiter limiter(1, 1);
  CHECK(limiter.Take(1, 5000) == 0);
  CHECK(limiter.Take(1, 1000) >= 1);  // earlier time: no refill
  CHECK(limiter.Take(1, 6000) == 0);  // a second after the last real time: one token
}

TEST_CASE("rate limiter: threads share one bucket without losing count", "[unit]") {
  RateLimiter limiter(0.001, 100);  // no refill worth speaking of within the test
  std::vector<std::thread> threads;
  std::vector<int> passed(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i)
        if (limiter.Take(9, 0) == 0) ++passed[static_cast<size_t>(t)];
    });
  for (auto& th : threads) th.join();
  CHECK(passed[0] + passed[1] + passed[2] + passed[3] == 100);
}

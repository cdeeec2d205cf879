// Unit tests of flakynet's pure parts: TokenBucket, Schedule, LinkProfile, driven with
// explicit time points (no sockets, no sleeping).

#include <catch2/catch.hpp>

#include "link_profile.h"
#include "schedule.h"
#include "token_bucket.h"

namespace fn = mano::flakynet;
using namespace std::chrono_literals;

TEST_CASE("TokenBucket: never more than rate * time + burst", "[flakynet][unit]") {
  fn::TimePoint t0{};
  fn::TokenBucket bucket(1000, 100, t0);  // 1000 B/s, 100 B deep, starts full
  CHECK(bucket.Available(t0) == 100);
  bucket.Take(100);
  CHECK(bucket.Available(t0) == 0);
  CHECK(bucket.Available(t0 + 50ms) == 50);
  CHECK(bucket.Available(t0 + 10s) == 100);  // capped at burst
  bucket.Take(100);
  CHECK(bucket.WhenAvailable(30, t0 + 10s) == t0 + 10s + 30ms);

  // Taking everything offered over 2 s never exceeds the bound.
  fn::TokenBucket b(5000, 500, t0);
  uint64_t taken = 0;
  for (int ms = 0; ms <= 2000; ms += 7) {
    auto now = t0 + std::chrono::milliseconds(ms);
    uint64_t n = b.Available(now);
    b.Take(n);
    taken += n;
    CHECK(taken <= uint64_t(5000 * ms / 1000 + 500));
  }
  CHECK(taken >= 5000 * 1990 / 1000);  // and it does deliver the rate (pure arithmetic)
}

TEST_CASE("TokenBucket: rate 0 is unlimited; Configure caps held tokens", "[flakynet][unit]") {
  fn::TimePoint t0{};
  fn::TokenBucket bucket(0, 10, t0);
  CHECK(bucket.unlimited());
  CHECK(bucket.Available(t0) == fn::TokenBucket::kUnlimited);
  CHECK(bucket.WhenAvailable(1'000'000, t0) == t0);
  bucket.Configure(100, 10, t0);
  CHECK(bucket.Available(t0) == 10);
  bucket.Configure(100, 4, t0);
  CHECK(bucket.Available(t0) == 4);
}

TEST_CASE("Schedule: blackouts follow the profile's ranges and the seed", "[flakynet][unit]") {
  auto caracas = *fn::LinkProfile::Named("caracas");
  fn::Schedule s(caracas, 99);
  auto windows = s.BlackoutsUntil(24 * 3600 * 1000LL);
  REQUIRE(windows.size() > 100);
  int64_t previous_end = 0;
  for (const auto& w : windows) {
    CHECK(w.start_ms - previous_end >= 120'000);
    CHECK(w.start_ms - previous_end <= 300'000);
    CHECK(w.end_ms - w.start_ms >= 5'000);
    CHECK(w.end_ms - w.start_ms <= 60'000);
    CHECK(s.InBlackout(w.start_ms));
    CHECK_FALSE(s.InBlackout(w.end_ms));
    CHECK_FALSE(s.InBlackout(w.start_ms - 1));
    CHECK(s.NextChange(w.start_ms - 1) == w.start_ms);
    CHECK(s.NextChange(w.start_ms) == w.end_ms);
    previous_end = w.end_ms;
  }
  fn::Schedule same(caracas, 99);
  CHECK(same.DumpJson(3'600'000, 50) == s.DumpJson(3'600'000, 50));
  fn::Schedule other(caracas, 100);
  CHECK(other.DumpJson(3'600'000, 50) != s.DumpJson(3'600'000, 50));

  fn::Schedule none(*fn::LinkProfile::Named("good"), 1);
  CHECK_FALSE(none.InBlackout(123456));
  CHECK(none.NextChange(0) == std::numeric_limits<int64_t>::max());
}

TEST_CASE("Schedule: random cut plans are a pure function of seed and index", "[flakynet][unit]") {
  auto damascus = *fn::LinkProfile::Named("damascus");
  fn::Schedule s(damascus, 5);
  int cut = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    auto plan = s.PlanFor(i);
    auto again = s.PlanFor(i);
    CHECK(plan.random_cut == again.random_cut);
    CHECK(plan.after_bytes == again.after_bytes);
    if (plan.random_cut) {
      ++cut;
      CHECK(plan.after_bytes >= damascus.cut_bytes.min);
      CHECK(plan.after_bytes <= damascus.cut_bytes.max);
    }
  }
  CHECK(cut > 200);  // cut_chance 0.3 of 1000
  CHECK(cut < 400);
}

TEST_CASE("LinkProfile: named profiles and Set", "[flakynet][unit]") {
  for (const auto& name : fn::LinkProfile::Names()) CHECK(fn::LinkProfile::Named(name));
  CHECK_FALSE(fn::LinkProfile::Named("atlantis"));
  auto p = *fn::LinkProfile::Named("damascus");
  CHECK(p.rate.up == 8000);  // 64 kbit/s
  CHECK(p.delay_ms.down == 300);
  CHECK(p.Set("rate-down", "384kbit").empty());
  CHECK(p.rate.down == 48'000);
  CHECK(p.Set("rate", "2mb").empty());
  CHECK(p.rate.up == 2'000'000);
  CHECK(p.Set("cut_after_up", "17").empty());
  CHECK(p.cut_after.up == 17);
  CHECK(p.Set("cut_scope", "global").empty());
  CHECK(p.cut_scope == fn::CutScope::kGlobal);
  CHECK_FALSE(p.Set("cut_mode", "gently").empty());
  CHECK_FALSE(p.Set("cut_chance", "1.5").empty());
  CHECK_FALSE(p.Set("delay", "-3").empty());
  CHECK_FALSE(p.Set("warp", "9").empty());
  CHECK(fn::EffectiveBurst(8000, 0) == 1460);
  CHECK(fn::EffectiveBurst(250'000, 0) == 5000);
  CHECK(fn::EffectiveBurst(250'000, 777) == 777);
}

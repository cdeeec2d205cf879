#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;

TEST_CASE("Server time is carried by the offset and the monotonic clock", "[unit]") {
  Fixture f;
  Store& s = f.store;
  CHECK_FALSE(s.ServerNow("alice"));
  CHECK_FALSE(s.TEST_ClockOffsetMs("alice"));
  int64_t local = f.clock->NowMs();
  s.RecordServerContact("alice", local + 5'000);
  CHECK(s.TEST_ClockOffsetMs("alice") == 5'000);
  CHECK(s.ServerNow("alice") == local + 5'000);
  f.clock->Advance(1'000);
  CHECK(s.ServerNow("alice") == local + 6'000);
  CHECK_FALSE(s.TEST_ClockJumpedBack());
  CHECK_THROWS_AS(s.RecordServerContact("nobody", 1), StoreError);
}

TEST_CASE("A clock jumped back twenty years is detected; deadlines stay in server time", "[unit]") {
  Fixture f;
  int64_t local = f.clock->NowMs();
  int64_t server = local + 2'000;
  f.store.RecordServerContact("alice", server);
  int64_t deadline = server + 600'000;
  constexpr int64_t kTwentyYears = 20LL * 365 * 24 * 3600 * 1000;

  // In the same process: wall clock jumps, monotonic clock keeps going.
  f.clock->SetNow(local - kTwentyYears);
  f.clock->Advance(10'000);
  CHECK(f.store.TEST_ClockJumpedBack());
  CHECK(*f.store.ServerNow("alice") == server + 10'000);
  CHECK(deadline - *f.store.ServerNow("alice") == 590'000);

  // After a restart (dead CMOS battery): the reopened store notices the jump and never
  // puts server time before the newest server time it saw.
  f.store = f.Open();
  CHECK(f.store.report().clock_jumped_back);
  CHECK(f.store.TEST_ClockJumpedBack());
  CHECK(*f.store.ServerNow("alice") >= server);
  CHECK(*f.store.ServerNow("alice") < deadline);

  // A fresh contact fixes the offset.
  f.store.RecordServerContact("alice", server + 20'000);
  CHECK(*f.store.TEST_ClockOffsetMs("alice") == server + 20'000 - f.clock->NowMs());
}

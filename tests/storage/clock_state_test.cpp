#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;

TEST_CASE_METHOD(Fixture, "Server time is carried by the offset and the monotonic clock",
                 "[unit]") {
  CHECK_FALSE(store.ServerNow("alice"));
  CHECK_FALSE(store.TEST_ClockOffsetMs("alice"));
  int64_t local = clock->NowMs();
  store.RecordServerContact("alice", local + 5'000);
  CHECK(store.TEST_ClockOffsetMs("alice") == 5'000);
  CHECK(store.ServerNow("alice") == local + 5'000);
  clock->Advance(1'000);
  CHECK(store.ServerNow("alice") == local + 6'000);
  CHECK_FALSE(store.TEST_ClockJumpedBack());
  CHECK_THROWS_AS(store.RecordServerContact("nobody", 1), StoreError);
}

TEST_CASE_METHOD(Fixture,
                 "A clock jumped back twenty years is detected; deadlines stay in server time",
                 "[unit]") {
  int64_t local = clock->NowMs();
  int64_t server = local + 2'000;
  store.RecordServerContact("alice", server);
  int64_t deadline = server + 600'000;
  constexpr int64_t kTwentyYears = 20LL * 365 * 24 * 3600 * 1000;

  // In the same process: wall clock jumps, monotonic clock keeps going.
  clock->SetNow(local - kTwentyYears);
  clock->Advance(10'000);
  CHECK(store.TEST_ClockJumpedBack());
  CHECK(*store.ServerNow("alice") == server + 10'000);
  CHECK(deadline - *store.ServerNow("alice") == 590'000);

  // After a restart (dead CMOS battery): the reopened store notices the jump and never
  // puts server time before the newest server time it saw.
  store = Open();
  CHECK(store.report().clock_jumped_back);
  CHECK(store.TEST_ClockJumpedBack());
  CHECK(*store.ServerNow("alice") >= server);
  CHECK(*store.ServerNow("alice") < deadline);

  // A fresh contact fixes the offset.
  store.RecordServerContact("alice", server + 20'000);
  CHECK(*store.TEST_ClockOffsetMs("alice") == server + 20'000 - clock->NowMs());
}

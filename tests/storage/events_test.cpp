#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;

TEST_CASE_METHOD(Fixture, "ApplyEvents is idempotent on seq and moves the cursor", "[unit]") {
  std::vector<Event> batch = {{1, "review", "srv-1", R"({"score":5})", 100},
                              {2, "payment", "", R"({"micros":10})", 200}};
  CHECK(store.ApplyEvents("alice", batch, "c2") == 2);
  CHECK(store.GetCursor("alice", Store::kEventsCursor) == "c2");
  batch.push_back({3, "review", "srv-2", "{}", 300});
  CHECK(store.ApplyEvents("alice", batch, "c3") == 1);
  CHECK(store.GetCursor("alice", Store::kEventsCursor) == "c3");
  auto all = store.ListEvents("alice");
  REQUIRE(all.size() == 3);
  CHECK(all[0].payload == R"({"score":5})");
  CHECK(all[2].assignment_server_id == "srv-2");
  CHECK(store.ListEvents("alice", 1, 1).front().seq == 2);
  CHECK_THROWS_AS(store.ApplyEvents("nobody", batch, "x"), StoreError);
}

TEST_CASE_METHOD(Fixture, "Cursors are per account and name", "[unit]") {
  CHECK_FALSE(store.GetCursor("alice", "tasks"));
  store.SetCursor("alice", "tasks", "t1");
  store.SetCursor("alice", "tasks", "t2");
  store.SetCursor("alice", "other", "o");
  CHECK(store.GetCursor("alice", "tasks") == "t2");
  CHECK(store.GetCursor("alice", "other") == "o");
  CHECK_THROWS_AS(store.SetCursor("nobody", "tasks", "x"), StoreError);
}

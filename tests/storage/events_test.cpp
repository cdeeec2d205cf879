#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;

TEST_CASE("ApplyEvents is idempotent on seq and moves the cursor", "[unit]") {
  Fixture f;
  Store& s = f.store;
  std::vector<Event> batch = {{1, "review", "srv-1", R"({"score":5})", 100},
                              {2, "payment", "", R"({"micros":10})", 200}};
  CHECK(s.ApplyEvents("alice", batch, "c2") == 2);
  CHECK(s.GetCursor("alice", Store::kEventsCursor) == "c2");
  batch.push_back({3, "review", "srv-2", "{}", 300});
  CHECK(s.ApplyEvents("alice", batch, "c3") == 1);
  CHECK(s.GetCursor("alice", Store::kEventsCursor) == "c3");
  auto all = s.ListEvents("alice");
  REQUIRE(all.size() == 3);
  CHECK(all[0].payload == R"({"score":5})");
  CHECK(all[2].assignment_server_id == "srv-2");
  CHECK(s.ListEvents("alice", 1, 1).front().seq == 2);
  CHECK_THROWS_AS(s.ApplyEvents("nobody", batch, "x"), StoreError);
}

TEST_CASE("Cursors are per account and name", "[unit]") {
  Fixture f;
  Store& s = f.store;
  CHECK_FALSE(s.GetCursor("alice", "tasks"));
  s.SetCursor("alice", "tasks", "t1");
  s.SetCursor("alice", "tasks", "t2");
  s.SetCursor("alice", "other", "o");
  CHECK(s.GetCursor("alice", "tasks") == "t2");
  CHECK(s.GetCursor("alice", "other") == "o");
  CHECK_THROWS_AS(s.SetCursor("nobody", "tasks", "x"), StoreError);
}

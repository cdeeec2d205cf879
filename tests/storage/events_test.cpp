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

TEST_CASE_METHOD(Fixture, "ForEachEvent visits every event of the account across pages",
                 "[unit]") {
  std::vector<Event> batch;
  for (int64_t seq = 1; seq <= 2'500; ++seq) batch.push_back({seq, "review", "", "{}", seq});
  store.ApplyEvents("alice", batch, "c");
  std::vector<int64_t> seen;
  store.ForEachEvent("alice", [&](Event& e) { seen.push_back(e.seq); });
  REQUIRE(seen.size() == 2'500);  // more than one page of 1,000
  for (size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == static_cast<int64_t>(i) + 1);
  int others = 0;
  store.ForEachEvent("bob", [&](Event&) { ++others; });
  CHECK(others == 0);
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

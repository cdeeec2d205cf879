#include <catch2/catch.hpp>

#include "mano/storage/sha256.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

TEST_CASE("SaveCheckpoint stores versions and skips identical content", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t id = s.UpsertAssignment(TestAssignment());
  CHECK_FALSE(s.LatestCheckpoint(id));
  auto r1 = s.SaveCheckpoint(id, "hello", "text:5");
  CHECK(r1.written);
  CHECK(r1.version == 1);
  CHECK(r1.sha256 == Sha256Hex("hello"));
  auto again = s.SaveCheckpoint(id, "hello", "text:2");
  CHECK_FALSE(again.written);
  CHECK(again.version == 1);
  CHECK(s.LatestCheckpoint(id)->ui_position == "text:5");
  std::string binary("a\0b\xff", 4);
  auto r2 = s.SaveCheckpoint(id, binary, "text:4");
  CHECK(r2.written);
  CHECK(r2.version == 2);
  auto latest = s.LatestCheckpoint(id);
  REQUIRE(latest);
  CHECK(latest->content == binary);
  CHECK(latest->sha256 == Sha256Hex(binary));
  CHECK_THROWS_AS(s.SaveCheckpoint(id + 99, "x", ""), StoreError);
}

TEST_CASE("Only the last K checkpoint versions are kept", "[unit]") {
  Fixture f;
  OpenOptions keep3;
  keep3.checkpoint_keep = 3;
  f.store = f.Open(keep3);
  int64_t id = f.store.UpsertAssignment(TestAssignment());
  for (int i = 1; i <= 7; ++i) f.store.SaveCheckpoint(id, "v" + std::to_string(i), "");
  auto history = f.store.CheckpointHistory(id);
  REQUIRE(history.size() == 3);
  CHECK(history[0].version == 7);
  CHECK(history[2].version == 5);
  CHECK(history[0].content == "v7");
}

TEST_CASE("UndoCheckpoint restores older versions as new latest ones", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t id = s.UpsertAssignment(TestAssignment());
  CHECK_FALSE(s.UndoCheckpoint(id));
  s.SaveCheckpoint(id, "one", "p1");
  CHECK_FALSE(s.UndoCheckpoint(id));  // nothing older
  s.SaveCheckpoint(id, "two", "p2");
  s.SaveCheckpoint(id, "three", "p3");
  auto u1 = s.UndoCheckpoint(id);
  REQUIRE(u1);
  CHECK(u1->content == "two");
  CHECK(u1->version == 4);
  CHECK(u1->restored_from == 2);
  CHECK(u1->ui_position == "p2");
  auto u2 = s.UndoCheckpoint(id);
  REQUIRE(u2);
  CHECK(u2->content == "one");
  CHECK(u2->version == 5);
  CHECK_FALSE(s.UndoCheckpoint(id));
  // History keeps everything (the bad save is still there to go back to).
  CHECK(s.CheckpointHistory(id).size() == 5);
  CHECK(s.ListJournal().back().type == "checkpoint_undo");
  // A new save after undo continues from the restored text.
  CHECK(s.SaveCheckpoint(id, "one", "").written == false);
  CHECK(s.SaveCheckpoint(id, "one!", "").version == 6);
}

TEST_CASE("Checkpoints survive closing and reopening the store", "[unit]") {
  Fixture f;
  int64_t id = f.store.UpsertAssignment(TestAssignment());
  f.store.SaveCheckpoint(id, "durable", "x");
  f.store = f.Open();
  CHECK(f.store.LatestCheckpoint(id)->content == "durable");
}

TEST_CASE("A compare-and-set save lands only on the version the writer read", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t id = s.UpsertAssignment(TestAssignment());
  // Two writers both read "no draft yet" (version 0).
  auto first = s.SaveCheckpoint(id, "from the UI", "p", 0, OnConflict::kRefuse);
  CHECK(first.written);
  CHECK_FALSE(first.conflict);
  CHECK(first.version == 1);
  auto second = s.SaveCheckpoint(id, "from the CLI", "", 0, OnConflict::kRefuse);
  CHECK(second.conflict);
  CHECK_FALSE(second.written);
  CHECK(second.version == 1);
  CHECK(s.LatestCheckpoint(id)->content == "from the UI");
  CHECK(s.CheckpointHistory(id).size() == 1);
  // Read again, write again: lands.
  auto retried = s.SaveCheckpoint(id, "from the CLI", "", second.version, OnConflict::kRefuse);
  CHECK(retried.written);
  CHECK(retried.version == 2);
  // The same content as the latest is no conflict, whatever version was read.
  auto same = s.SaveCheckpoint(id, "from the CLI", "", 1, OnConflict::kRefuse);
  CHECK_FALSE(same.conflict);
  CHECK_FALSE(same.written);
  CHECK(same.version == 2);
  CHECK_THROWS_AS(s.SaveCheckpoint(id + 99, "x", "", 0, OnConflict::kRefuse), StoreError);
}

TEST_CASE("A stale save kept aside stays one undo under the newer version", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t id = s.UpsertAssignment(TestAssignment());
  s.SaveCheckpoint(id, "base", "p0", 0, OnConflict::kKeepAside);                // v1, UI read v1
  s.SaveCheckpoint(id, "CLI comment", "", 1, OnConflict::kRefuse);              // v2 by the CLI
  auto r = s.SaveCheckpoint(id, "UI typing", "p9", 1, OnConflict::kKeepAside);  // stale
  CHECK(r.conflict);
  CHECK(r.written);
  CHECK(r.version == 4);
  auto latest = s.LatestCheckpoint(id);
  CHECK(latest->content == "CLI comment");  // the newer edit stays current
  CHECK(latest->version == 4);
  auto history = s.CheckpointHistory(id);
  REQUIRE(history.size() == 4);
  CHECK(history[1].content == "UI typing");  // version 3, kept
  CHECK(history[1].ui_position == "p9");
  auto undone = s.UndoCheckpoint(id);
  REQUIRE(undone);
  CHECK(undone->content == "UI typing");
  bool journaled = false;
  for (const auto& e : s.ListJournal()) journaled |= e.type == "checkpoint_conflict";
  CHECK(journaled);
}

#include <catch2/catch.hpp>

#include "mano/storage/sha256.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

TEST_CASE_METHOD(Fixture, "SaveCheckpoint stores versions and skips identical content", "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  CHECK_FALSE(store.LatestCheckpoint(id));
  auto r1 = store.SaveCheckpoint(id, "hello", "text:5");
  CHECK(r1.written);
  CHECK(r1.version == 1);
  CHECK(r1.sha256 == Sha256Hex("hello"));
  auto again = store.SaveCheckpoint(id, "hello", "text:2");
  CHECK_FALSE(again.written);
  CHECK(again.version == 1);
  CHECK(store.LatestCheckpoint(id)->ui_position == "text:5");
  std::string binary("a\0b\xff", 4);
  auto r2 = store.SaveCheckpoint(id, binary, "text:4");
  CHECK(r2.written);
  CHECK(r2.version == 2);
  auto latest = store.LatestCheckpoint(id);
  REQUIRE(latest);
  CHECK(latest->content == binary);
  CHECK(latest->sha256 == Sha256Hex(binary));
  CHECK_THROWS_AS(store.SaveCheckpoint(id + 99, "x", ""), StoreError);
}

TEST_CASE_METHOD(Fixture, "Only the last K checkpoint versions are kept", "[unit]") {
  OpenOptions keep3;
  keep3.checkpoint_keep = 3;
  store = Open(keep3);
  int64_t id = store.UpsertAssignment(TestAssignment());
  for (int i = 1; i <= 7; ++i) store.SaveCheckpoint(id, "v" + std::to_string(i), "");
  auto history = store.CheckpointHistory(id);
  REQUIRE(history.size() == 3);
  CHECK(history[0].version == 7);
  CHECK(history[2].version == 5);
  CHECK(history[0].content == "v7");
}

TEST_CASE_METHOD(Fixture, "UndoCheckpoint restores older versions as new latest ones", "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  CHECK_FALSE(store.UndoCheckpoint(id));
  store.SaveCheckpoint(id, "one", "p1");
  CHECK_FALSE(store.UndoCheckpoint(id));  // nothing older
  store.SaveCheckpoint(id, "two", "p2");
  store.SaveCheckpoint(id, "three", "p3");
  auto u1 = store.UndoCheckpoint(id);
  REQUIRE(u1);
  CHECK(u1->content == "two");
  CHECK(u1->version == 4);
  CHECK(u1->restored_from == 2);
  CHECK(u1->ui_position == "p2");
  auto u2 = store.UndoCheckpoint(id);
  REQUIRE(u2);
  CHECK(u2->content == "one");
  CHECK(u2->version == 5);
  CHECK_FALSE(store.UndoCheckpoint(id));
  // History keeps everything (the bad save is still there to go back to).
  CHECK(store.CheckpointHistory(id).size() == 5);
  CHECK(store.ListJournal().back().type == "checkpoint_undo");
  // A new save after undo continues from the restored text.
  CHECK(store.SaveCheckpoint(id, "one", "").written == false);
  CHECK(store.SaveCheckpoint(id, "one!", "").version == 6);
}

TEST_CASE_METHOD(Fixture, "Checkpoints survive closing and reopening the store", "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  store.SaveCheckpoint(id, "durable", "x");
  store = Open();
  CHECK(store.LatestCheckpoint(id)->content == "durable");
}

namespace {

// What a save did, to compare in one CHECK (Catch prints both sides on a mismatch).
std::string Outcome(const SaveResult& r) {
  return std::string(r.written ? "written" : "not written") +
         (r.conflict ? ", conflict" : ", no conflict") + ", version " + std::to_string(r.version);
}

}  // namespace

TEST_CASE_METHOD(Fixture, "A compare-and-set save lands only on the version the writer read",
                 "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  // Two writers both read "no draft yet" (version 0).
  auto first = store.SaveCheckpoint(id, "from the UI", "p", 0, OnConflict::kRefuse);
  CHECK(Outcome(first) == "written, no conflict, version 1");
  auto second = store.SaveCheckpoint(id, "from the CLI", "", 0, OnConflict::kRefuse);
  CHECK(Outcome(second) == "not written, conflict, version 1");
  CHECK(store.LatestCheckpoint(id)->content == "from the UI");
  CHECK(store.CheckpointHistory(id).size() == 1);
  // Read again, write again: lands.
  auto retried = store.SaveCheckpoint(id, "from the CLI", "", second.version, OnConflict::kRefuse);
  CHECK(Outcome(retried) == "written, no conflict, version 2");
  // The same content as the latest is no conflict, whatever version was read.
  auto same = store.SaveCheckpoint(id, "from the CLI", "", 1, OnConflict::kRefuse);
  CHECK(Outcome(same) == "not written, no conflict, version 2");
  CHECK_THROWS_AS(store.SaveCheckpoint(id + 99, "x", "", 0, OnConflict::kRefuse), StoreError);
}

TEST_CASE_METHOD(Fixture, "A stale save kept aside stays one undo under the newer version",
                 "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  store.SaveCheckpoint(id, "base", "p0", 0, OnConflict::kKeepAside);    // v1, UI read v1
  store.SaveCheckpoint(id, "CLI comment", "", 1, OnConflict::kRefuse);  // v2 by the CLI
  auto r = store.SaveCheckpoint(id, "UI typing", "p9", 1, OnConflict::kKeepAside);  // stale
  CHECK(r.conflict);
  CHECK(r.written);
  CHECK(r.version == 4);
  auto latest = store.LatestCheckpoint(id);
  CHECK(latest->content == "CLI comment");  // the newer edit stays current
  CHECK(latest->version == 4);
  auto history = store.CheckpointHistory(id);
  REQUIRE(history.size() == 4);
  CHECK(history[1].content == "UI typing");  // version 3, kept
  CHECK(history[1].ui_position == "p9");
  auto undone = store.UndoCheckpoint(id);
  REQUIRE(undone);
  CHECK(undone->content == "UI typing");
  bool journaled = false;
  for (const auto& e : store.ListJournal()) journaled |= e.type == "checkpoint_conflict";
  CHECK(journaled);
}

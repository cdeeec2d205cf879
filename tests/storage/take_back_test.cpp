// Store::TakeBackResult and the compare-and-set in MarkSending: a queued result is either
// taken back (unsubmit) or sent by a sync, never both, also across two connections.
#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

TEST_CASE_METHOD(Fixture, "TakeBackResult: a pending result goes back to a draft, journaled",
                 "[unit]") {
  int64_t a = store.UpsertAssignment(TestAssignment("alice", "a"));
  store.SetState(a, AssignmentState::kInProgress, "answer");
  store.SaveCheckpoint(a, R"({"x":1})", "");
  CHECK(store.TakeBackResult(a).status == TakeBackStatus::kNotQueued);
  int64_t o = store.EnqueueResult(a, "key-a", "body-a", "hash-a");
  int64_t journal_before = static_cast<int64_t>(store.ListJournal().size());

  TakeBack taken = store.TakeBackResult(a);
  CHECK(taken.status == TakeBackStatus::kTakenBack);
  REQUIRE(taken.item);
  CHECK(taken.item->id == o);
  CHECK(taken.item->body == "body-a");
  CHECK(store.GetAssignment(a)->state == AssignmentState::kInProgress);
  CHECK_FALSE(store.TEST_GetOutboxItem(o));
  CHECK(store.OutboxStats("alice").items == 0);
  CHECK(store.LatestCheckpoint(a)->content == R"({"x":1})");  // the draft is untouched
  auto journal = store.ListJournal();
  REQUIRE(static_cast<int64_t>(journal.size()) == journal_before + 1);
  CHECK(journal.back().payload.find("result taken back") != std::string::npos);
  CHECK(store.TakeBackResult(a).status == TakeBackStatus::kNotQueued);
  CHECK_FALSE(store.MarkSending(o));  // a sync that read it before it was taken back skips it

  // Queued again (same key: the server never saw the first one); an attempt that never
  // reached the server puts it back to pending, and it can be taken back again.
  int64_t o2 = store.EnqueueResult(a, "key-a", "body-b", "hash-b");
  CHECK(o2 != o);
  REQUIRE(store.MarkSending(o2));
  CHECK(store.MarkUnsent(o2));
  CHECK_FALSE(store.MarkUnsent(o2));
  CHECK(store.TEST_GetOutboxItem(o2)->state == OutboxState::kPending);
  CHECK(store.TakeBackResult(a).status == TakeBackStatus::kTakenBack);
  o2 = store.EnqueueResult(a, "key-a", "body-b", "hash-b");
  REQUIRE(store.MarkSending(o2));  // sending now: it stays
  taken = store.TakeBackResult(a);
  CHECK(taken.status == TakeBackStatus::kOnTheWire);
  CHECK(taken.item->state == OutboxState::kSending);
  CHECK(store.GetAssignment(a)->state == AssignmentState::kQueued);
  CHECK(store.TEST_GetOutboxItem(o2));
  CHECK(store.ApplyReceipts("alice", {{"key-a", "accepted", 1, "sig", "{}"}}) == 1);
  CHECK(store.TakeBackResult(a).status == TakeBackStatus::kOnTheWire);  // acknowledged
  CHECK(store.GetAssignment(a)->state != AssignmentState::kInProgress);
}

TEST_CASE_METHOD(Fixture, "TakeBackResult and MarkSending from two connections: one of them wins",
                 "[unit]") {
  Store ui = Open();    // the worker's unsubmit
  Store sync = Open();  // a sync pass in another thread or process
  int64_t a = ui.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = ui.UpsertAssignment(TestAssignment("alice", "b"));
  ui.EnqueueResult(a, "key-a", "A", "ha");
  ui.EnqueueResult(b, "key-b", "B", "hb");
  // The pass reads both, then the worker takes `a` back before the pass marks it.
  auto pending = sync.PendingResults("alice");
  REQUIRE(pending.size() == 2);
  CHECK(ui.TakeBackResult(a).status == TakeBackStatus::kTakenBack);
  CHECK_FALSE(sync.MarkSending(pending[0].id));  // never sent
  CHECK(sync.MarkSending(pending[1].id));
  // And the other order: marked first, the take back is refused.
  CHECK(ui.TakeBackResult(b).status == TakeBackStatus::kOnTheWire);
  CHECK(ui.GetAssignment(b)->state == AssignmentState::kQueued);
  CHECK(ui.GetAssignment(a)->state == AssignmentState::kInProgress);
}

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

TEST_CASE_METHOD(Fixture, "EnqueueResult queues once per key and moves the assignment to queued",
                 "[unit]") {
  int64_t a = store.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = store.UpsertAssignment(TestAssignment("alice", "b"));
  int64_t o1 = store.EnqueueResult(a, "key-a", std::string("\0body", 5), "hash-a");
  CHECK(store.EnqueueResult(a, "key-a", "other", "other") == o1);
  int64_t o2 = store.EnqueueResult(b, "key-b", "bb", "hash-b");
  CHECK(store.GetAssignment(a)->state == AssignmentState::kQueued);
  auto pending = store.PendingResults("alice", 10);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == o1);
  CHECK(pending[0].body == std::string("\0body", 5));
  CHECK(pending[1].id == o2);
  CHECK(store.PendingResults("alice", 1).size() == 1);
  CHECK(store.PendingResults("bob", 10).empty());
  auto stats = store.OutboxStats("alice");
  CHECK(stats.items == 2);
  CHECK(stats.bytes == 7);
  CHECK_THROWS_AS(store.EnqueueResult(999, "key-x", "", ""), StoreError);
}

TEST_CASE_METHOD(Fixture, "MarkSending, upload state and receipts", "[unit]") {
  int64_t a = store.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = store.UpsertAssignment(TestAssignment("alice", "b"));
  int64_t o1 = store.EnqueueResult(a, "key-a", "A", "ha");
  int64_t o2 = store.EnqueueResult(b, "key-b", "BB", "hb");
  store.MarkSending(o1);
  store.MarkSending(o1);
  auto item = store.TEST_GetOutboxItem(o1);
  CHECK(item->state == OutboxState::kSending);
  CHECK(item->attempts == 2);
  CHECK(store.PendingResults("alice").size() == 2);  // a cut-short send is retried
  store.SetUploadState(o1, "http://127.0.0.1/up/1", 1024);
  CHECK(store.TEST_GetOutboxItem(o1)->upload_url == "http://127.0.0.1/up/1");
  CHECK(store.TEST_GetOutboxItem(o1)->upload_offset == 1024);
  CHECK(store.PendingResults("alice").size() == 2);

  // Each receipt leaves its assignment in the state the caller mapped it to, with the
  // server's words: a refusal is never "received".
  std::vector<Receipt> receipts = {
      {"key-a", "accepted", 1'790'000'001'000, "sig-a", "{raw a}"},
      {"key-zzz", "accepted", 1, "s", "r"},
      {"key-b", "late_refused", 1'790'000'002'000, "sig-b", "{raw b}", 0, 0,
       AssignmentState::kLateRefused, "submitted after the deadline"}};
  CHECK(store.ApplyReceipts("alice", receipts) == 2);
  CHECK(store.ApplyReceipts("alice", receipts) == 0);  // idempotent
  CHECK(store.GetAssignment(a)->state == AssignmentState::kAccepted);
  CHECK(store.GetAssignment(a)->state_reason.empty());
  CHECK(store.GetAssignment(b)->state == AssignmentState::kLateRefused);
  CHECK(store.GetAssignment(b)->state_reason == "submitted after the deadline");
  auto listed = store.ListAssignmentSummaries({}).rows;
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].state == AssignmentState::kLateRefused);
  CHECK(listed[1].state_reason == "submitted after the deadline");
  CHECK(store.TEST_GetOutboxItem(o2)->state == OutboxState::kAcknowledged);
  auto r = store.GetReceipt(a);
  REQUIRE(r);
  CHECK(r->signature == "sig-a");
  CHECK(r->raw == "{raw a}");
  CHECK(r->assignment_id == a);
  CHECK_FALSE(store.GetReceipt(999));
  CHECK(store.OutboxStats("alice").items == 0);
  CHECK(store.ListOutbox("alice").empty());
}

TEST_CASE_METHOD(Fixture, "RecordAnchor stores anchors and moves the deadline", "[unit]") {
  int64_t a = store.UpsertAssignment(TestAssignment());
  store.RecordAnchor(a, "h1", 1'790'000'100'000, 0);
  store.RecordAnchor(a, "h2", 1'790'000'200'000, 1'790'009'000'000);
  auto anchors = store.ListAnchors(a);
  REQUIRE(anchors.size() == 2);
  CHECK(anchors[0].checkpoint_hash == "h1");
  CHECK(anchors[1].new_deadline_ms == 1'790'009'000'000);
  CHECK(store.GetAssignment(a)->deadline_server_ms == 1'790'009'000'000);
  CHECK_THROWS_AS(store.RecordAnchor(a + 9, "h", 1, 1), StoreError);
}

TEST_CASE_METHOD(Fixture, "Receipts signed as a batch keep the batch's bytes and signature, once",
                 "[unit]") {
  int64_t a = store.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = store.UpsertAssignment(TestAssignment("alice", "b"));
  int64_t c = store.UpsertAssignment(TestAssignment("alice", "c"));
  store.EnqueueResult(a, "key-a", "A", "ha");
  store.EnqueueResult(b, "key-b", "B", "hb");
  store.EnqueueResult(c, "key-c", "C", "hc");
  const std::string bytes("batch\0bytes\n", 12);  // opaque, kept byte for byte
  ReceiptBatch batch{0, "alice", bytes, "batch-sig", 0};
  std::vector<Receipt> first = {{"key-a", "accepted", 10, "", "{raw a}", 0, 0},
                                {"key-b", "invalid", 10, "", "{raw b}", 0, 0}};
  CHECK(store.ApplyReceipts("alice", first, batch) == 2);
  auto ra = store.GetReceipt(a);
  auto rb = store.GetReceipt(b);
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(ra->batch_id > 0);
  CHECK(rb->batch_id == ra->batch_id);  // one row for the whole batch
  CHECK(ra->raw == "{raw a}");
  CHECK(ra->signature.empty());
  auto stored = store.GetReceiptBatch(ra->batch_id);
  REQUIRE(stored);
  CHECK(stored->canonical == bytes);
  CHECK(stored->signature == "batch-sig");
  CHECK(stored->account == "alice");
  CHECK(stored->received_ms > 0);
  CHECK_FALSE(store.GetReceiptBatch(ra->batch_id + 100));

  // A replayed batch whose receipts are all known already stores nothing new.
  CHECK(store.ApplyReceipts("alice", first, ReceiptBatch{0, "alice", "other", "x", 0}) == 0);
  CHECK_FALSE(store.GetReceiptBatch(ra->batch_id + 1));
  // The next batch gets its own row; receipts signed one by one have none.
  CHECK(store.ApplyReceipts("alice", {{"key-c", "accepted", 11, "", "{raw c}", 0, 0}},
                            ReceiptBatch{0, "alice", "second", "sig2", 0}) == 1);
  CHECK(store.GetReceipt(c)->batch_id > ra->batch_id);
  CHECK(store.GetReceiptBatch(store.GetReceipt(c)->batch_id)->canonical == "second");
  CHECK(store.TEST_IntegrityCheck() == "ok");
}

TEST_CASE_METHOD(Fixture, "A failed batch write stores neither the batch nor any of its receipts",
                 "[unit]") {
  int64_t a = store.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = store.UpsertAssignment(TestAssignment("alice", "b"));
  store.EnqueueResult(a, "key-a", "A", "ha");
  store.EnqueueResult(b, "key-b", "B", "hb");
  // Another connection adds a trigger that fails the second receipt's insert.
  mano::storage::test::ExecOnOtherConnection(
      store.path(),
      "CREATE TRIGGER boom BEFORE INSERT ON receipts WHEN NEW.raw = '{boom}' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  const std::vector<Receipt> receipts = {{"key-a", "accepted", 10, "", "{raw}", 0, 0},
                                         {"key-b", "accepted", 10, "", "{boom}", 0, 0}};
  CHECK_THROWS_AS(
      store.ApplyReceipts("alice", receipts, ReceiptBatch{0, "alice", "bytes", "sig", 0}),
      StoreError);
  CHECK_FALSE(store.GetReceipt(a));
  CHECK_FALSE(store.GetReceiptBatch(1));
  CHECK(store.GetAssignment(a)->state == AssignmentState::kQueued);
  CHECK(store.PendingResults("alice").size() == 2);
  // The store stays usable: without the failing receipt the batch goes in whole.
  CHECK(store.ApplyReceipts("alice", {receipts[0]}, ReceiptBatch{0, "alice", "bytes", "sig", 0}) ==
        1);
  CHECK(store.GetReceiptBatch(store.GetReceipt(a)->batch_id)->canonical == "bytes");
}

TEST_CASE_METHOD(Fixture,
                 "An outbox row keeps its kind and server id; a batch is marked sending at once",
                 "[unit]") {
  std::vector<int64_t> ids, outbox;
  for (const char* id : {"a", "b", "c"}) {
    ids.push_back(store.UpsertAssignment(TestAssignment("alice", id)));
    outbox.push_back(store.EnqueueResult(ids.back(), std::string("key-") + id, id, "h"));
  }
  const int64_t b = ids[1], c = ids[2];
  const int64_t o1 = outbox[0], o2 = outbox[1], o3 = outbox[2];
  auto pending = store.PendingResults("alice", 10);
  REQUIRE(pending.size() == 3);
  CHECK(pending[1].server_id == "b");
  CHECK(pending[1].kind == store.GetAssignment(b)->kind);
  // Taken back before the batch is marked: left out, the others marked in one go.
  CHECK(store.TakeBackResult(b).status == TakeBackStatus::kTakenBack);
  CHECK(store.MarkSending(std::vector<int64_t>{o1, o2, o3}) == std::vector<int64_t>{o1, o3});
  CHECK(store.TEST_GetOutboxItem(o1)->state == OutboxState::kSending);
  CHECK(store.TEST_GetOutboxItem(o3)->state == OutboxState::kSending);
  CHECK(store.TEST_GetOutboxItem(o3)->attempts == 1);
  CHECK(store.TakeBackResult(c).status == TakeBackStatus::kOnTheWire);
}

// Store::TakeBackResult and the compare-and-set in MarkSending: a queued result is either
// taken back (unsubmit) or sent by a sync, never both, also across two connections.
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

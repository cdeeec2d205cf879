#include <catch2/catch.hpp>

#include "temp_dir.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

TEST_CASE("EnqueueResult queues once per key and moves the assignment to queued", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t a = s.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = s.UpsertAssignment(TestAssignment("alice", "b"));
  int64_t o1 = s.EnqueueResult(a, "key-a", std::string("\0body", 5), "hash-a");
  CHECK(s.EnqueueResult(a, "key-a", "other", "other") == o1);
  int64_t o2 = s.EnqueueResult(b, "key-b", "bb", "hash-b");
  CHECK(s.GetAssignment(a)->state == AssignmentState::kQueued);
  auto pending = s.PendingResults("alice", 10);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == o1);
  CHECK(pending[0].body == std::string("\0body", 5));
  CHECK(pending[1].id == o2);
  CHECK(s.PendingResults("alice", 1).size() == 1);
  CHECK(s.PendingResults("bob", 10).empty());
  auto stats = s.OutboxStats("alice");
  CHECK(stats.items == 2);
  CHECK(stats.bytes == 7);
  CHECK_THROWS_AS(s.EnqueueResult(999, "key-x", "", ""), StoreError);
}

TEST_CASE("MarkSending, MarkSent, upload state and receipts", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t a = s.UpsertAssignment(TestAssignment("alice", "a"));
  int64_t b = s.UpsertAssignment(TestAssignment("alice", "b"));
  int64_t o1 = s.EnqueueResult(a, "key-a", "A", "ha");
  int64_t o2 = s.EnqueueResult(b, "key-b", "BB", "hb");
  s.MarkSending(o1);
  s.MarkSending(o1);
  auto item = s.GetOutboxItem(o1);
  CHECK(item->state == OutboxState::kSending);
  CHECK(item->attempts == 2);
  CHECK(s.PendingResults("alice").size() == 2);  // a cut-short send is retried
  s.SetUploadState(o1, "http://127.0.0.1/up/1", 1024);
  CHECK(s.GetOutboxItem(o1)->upload_url == "http://127.0.0.1/up/1");
  CHECK(s.GetOutboxItem(o1)->upload_offset == 1024);
  s.MarkSent(o1);
  CHECK(s.GetAssignment(a)->state == AssignmentState::kSent);
  CHECK(s.PendingResults("alice").size() == 1);
  CHECK_THROWS_AS(s.MarkSent(12345), StoreError);

  std::vector<Receipt> receipts = {{"key-a", "accepted", 1'790'000'001'000, "sig-a", "{raw a}"},
                                   {"key-zzz", "accepted", 1, "s", "r"},
                                   {"key-b", "accepted", 1'790'000'002'000, "sig-b", "{raw b}"}};
  CHECK(s.ApplyReceipts("alice", receipts) == 2);
  CHECK(s.ApplyReceipts("alice", receipts) == 0);  // idempotent
  CHECK(s.GetAssignment(a)->state == AssignmentState::kAcknowledged);
  CHECK(s.GetAssignment(b)->state == AssignmentState::kAcknowledged);
  CHECK(s.GetOutboxItem(o2)->state == OutboxState::kAcknowledged);
  auto r = s.GetReceipt(a);
  REQUIRE(r);
  CHECK(r->signature == "sig-a");
  CHECK(r->raw == "{raw a}");
  CHECK(r->assignment_id == a);
  CHECK_FALSE(s.GetReceipt(999));
  CHECK(s.OutboxStats("alice").items == 0);
  CHECK(s.ListOutbox("alice").empty());
}

TEST_CASE("RecordAnchor stores anchors and moves the deadline", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t a = s.UpsertAssignment(TestAssignment());
  s.RecordAnchor(a, "h1", 1'790'000'100'000, 0);
  s.RecordAnchor(a, "h2", 1'790'000'200'000, 1'790'009'000'000);
  auto anchors = s.ListAnchors(a);
  REQUIRE(anchors.size() == 2);
  CHECK(anchors[0].checkpoint_hash == "h1");
  CHECK(anchors[1].new_deadline_ms == 1'790'009'000'000);
  CHECK(s.GetAssignment(a)->deadline_server_ms == 1'790'009'000'000);
  CHECK_THROWS_AS(s.RecordAnchor(a + 9, "h", 1, 1), StoreError);
}

#include <catch2/catch.hpp>
#include <filesystem>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

TEST_CASE_METHOD(Fixture, "Sync state is stored per account", "[unit]") {
  CHECK(store.GetSyncState("alice").backoff_step == 0);
  SyncState st{100, 200, 300, 4, "claim-key-1"};
  store.PutSyncState("alice", st);
  auto got = store.GetSyncState("alice");
  CHECK(got.last_contact_ms == 100);
  CHECK(got.offline_since_ms == 200);
  CHECK(got.next_retry_ms == 300);
  CHECK(got.backoff_step == 4);
  CHECK(got.pending_claim_key.empty());  // only BeginClaim/EndClaim set it
  CHECK_THROWS_AS(store.PutSyncState("nobody", st), StoreError);
}

TEST_CASE_METHOD(Fixture,
                 "A pending claim key survives other writers and is cleared only by its owner",
                 "[unit]") {
  // A pass read the state before the claim started...
  const SyncState stale = store.GetSyncState("alice");
  CHECK(store.BeginClaim("alice", "key-A") == "key-A");
  // ...a second process claiming meanwhile gets the same key, not a new one.
  CHECK(store.BeginClaim("alice", "key-B") == "key-A");
  // The pass that failed writes back its backoff: the key must stay.
  SyncState backoff = stale;
  backoff.backoff_step = 3;
  store.PutSyncState("alice", backoff);
  CHECK(store.GetSyncState("alice").pending_claim_key == "key-A");
  CHECK(store.GetSyncState("alice").backoff_step == 3);
  // Someone else's key is not cleared; the owner's is.
  CHECK_FALSE(store.EndClaim("alice", "key-B"));
  CHECK(store.GetSyncState("alice").pending_claim_key == "key-A");
  CHECK(store.EndClaim("alice", "key-A"));
  CHECK(store.GetSyncState("alice").pending_claim_key.empty());
  CHECK(store.BeginClaim("alice", "key-C") == "key-C");
  // Durable: a new Store on the same file sees the pending key.
  Store again = Open();
  CHECK(again.GetSyncState("alice").pending_claim_key == "key-C");
  CHECK_THROWS_AS(store.BeginClaim("nobody", "key-D"), StoreError);
}

TEST_CASE_METHOD(Fixture, "A claim's reply is stored whole or not at all, with its key",
                 "[unit]") {
  const std::vector<Assignment> reply = {TestAssignment("alice", "srv-1"),
                                         TestAssignment("alice", "srv-2"),
                                         TestAssignment("alice", "srv-3")};
  REQUIRE(store.BeginClaim("alice", "key-A") == "key-A");
  // The disk fails on the claim's third row (a trigger on another connection).
  mano::storage::test::ExecOnOtherConnection(
      store.path(),
      "CREATE TRIGGER boom BEFORE INSERT ON assignments WHEN NEW.server_id = 'srv-3' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  CHECK_THROWS_AS(store.StoreClaim("alice", "key-A", reply), StoreError);
  // Nothing of it stored; the key stays pending, so the next claim replays it.
  CHECK(store.ListAssignments().empty());
  CHECK(store.GetSyncState("alice").pending_claim_key == "key-A");
  CHECK(store.BeginClaim("alice", "key-B") == "key-A");

  mano::storage::test::ExecOnOtherConnection(store.path(), "DROP TRIGGER boom");
  const std::vector<int64_t> ids = store.StoreClaim("alice", "key-A", reply);
  REQUIRE(ids.size() == 3);
  for (size_t i = 0; i < ids.size(); ++i) {
    CHECK(store.GetAssignment(ids[i])->server_id == reply[i].server_id);
  }
  CHECK(store.GetSyncState("alice").pending_claim_key.empty());
  // The same reply again (a replayed key) updates the rows: same ids, no new ones.
  CHECK(store.StoreClaim("alice", "key-A", reply) == ids);
  CHECK(store.ListAssignments().size() == 3);
  // Another account's assignment is refused, and nothing of that claim is stored.
  std::vector<Assignment> mixed = {TestAssignment("alice", "srv-4"),
                                   TestAssignment("bob", "srv-5")};
  CHECK_THROWS_AS(store.StoreClaim("alice", "key-C", mixed), StoreError);
  CHECK(store.ListAssignments().size() == 3);
}

TEST_CASE_METHOD(Fixture, "Data usage adds up by day range and account", "[unit]") {
  store.AddAccount(mano::storage::test::TestAccount("bob"));
  store.AddBytes("alice", "2026-11-27", Direction::kUp, 100);
  store.AddBytes("alice", "2026-11-28", Direction::kUp, 10);
  store.AddBytes("alice", "2026-11-28", Direction::kDown, 1000);
  store.AddBytes("bob", "2026-11-28", Direction::kDown, 5);
  auto today = store.BytesUsed("alice", "2026-11-28", "2026-11-28");
  CHECK(today.up == 10);
  CHECK(today.down == 1000);
  CHECK(store.BytesUsed("alice", "2026-11-01", "2026-11-30").up == 110);
  CHECK(store.BytesUsed("", "2026-11-28", "2026-11-28").down == 1005);
}

TEST_CASE_METHOD(Fixture, "Assets are recorded by hash with progress", "[unit]") {
  Asset a = store.RecordAsset("abc123", 4096);
  CHECK(a.path == (std::filesystem::path(dir.path()) / "assets" / "abc123").string());
  CHECK_FALSE(a.complete());
  CHECK(std::filesystem::is_directory(store.AssetsDir()));
  CHECK(store.TEST_IncompleteAssets().size() == 1);
  store.SetAssetBytes("abc123", 4096);
  CHECK(store.GetAsset("abc123")->complete());
  CHECK(store.TEST_IncompleteAssets().empty());
  CHECK_FALSE(store.GetAsset("nope"));
  CHECK_THROWS_AS(store.SetAssetBytes("nope", 1), StoreError);
  CHECK_THROWS_AS(store.RecordAsset("../etc/passwd", 1), StoreError);
}

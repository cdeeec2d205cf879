#include <catch2/catch.hpp>
#include <filesystem>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;

TEST_CASE("Sync state is stored per account", "[unit]") {
  Fixture f;
  Store& s = f.store;
  CHECK(s.GetSyncState("alice").backoff_step == 0);
  SyncState st{100, 200, 300, 4, "claim-key-1"};
  s.PutSyncState("alice", st);
  auto got = s.GetSyncState("alice");
  CHECK(got.last_contact_ms == 100);
  CHECK(got.offline_since_ms == 200);
  CHECK(got.next_retry_ms == 300);
  CHECK(got.backoff_step == 4);
  CHECK(got.pending_claim_key.empty());  // only BeginClaim/EndClaim set it
  CHECK_THROWS_AS(s.PutSyncState("nobody", st), StoreError);
}

TEST_CASE("A pending claim key survives other writers and is cleared only by its owner", "[unit]") {
  Fixture f;
  Store& s = f.store;
  // A pass read the state before the claim started...
  const SyncState stale = s.GetSyncState("alice");
  CHECK(s.BeginClaim("alice", "key-A") == "key-A");
  // ...a second process claiming meanwhile gets the same key, not a new one.
  CHECK(s.BeginClaim("alice", "key-B") == "key-A");
  // The pass that failed writes back its backoff: the key must stay.
  SyncState backoff = stale;
  backoff.backoff_step = 3;
  s.PutSyncState("alice", backoff);
  CHECK(s.GetSyncState("alice").pending_claim_key == "key-A");
  CHECK(s.GetSyncState("alice").backoff_step == 3);
  // Someone else's key is not cleared; the owner's is.
  CHECK_FALSE(s.EndClaim("alice", "key-B"));
  CHECK(s.GetSyncState("alice").pending_claim_key == "key-A");
  CHECK(s.EndClaim("alice", "key-A"));
  CHECK(s.GetSyncState("alice").pending_claim_key.empty());
  CHECK(s.BeginClaim("alice", "key-C") == "key-C");
  // Durable: a new Store on the same file sees the pending key.
  Store again = f.Open();
  CHECK(again.GetSyncState("alice").pending_claim_key == "key-C");
  CHECK_THROWS_AS(s.BeginClaim("nobody", "key-D"), StoreError);
}

TEST_CASE("Data usage adds up by day range and account", "[unit]") {
  Fixture f;
  Store& s = f.store;
  s.AddAccount(mano::storage::test::TestAccount("bob"));
  s.AddBytes("alice", "2026-11-27", Direction::kUp, 100);
  s.AddBytes("alice", "2026-11-28", Direction::kUp, 10);
  s.AddBytes("alice", "2026-11-28", Direction::kDown, 1000);
  s.AddBytes("bob", "2026-11-28", Direction::kDown, 5);
  auto today = s.BytesUsed("alice", "2026-11-28", "2026-11-28");
  CHECK(today.up == 10);
  CHECK(today.down == 1000);
  CHECK(s.BytesUsed("alice", "2026-11-01", "2026-11-30").up == 110);
  CHECK(s.BytesUsed("", "2026-11-28", "2026-11-28").down == 1005);
}

TEST_CASE("Assets are recorded by hash with progress", "[unit]") {
  Fixture f;
  Store& s = f.store;
  Asset a = s.RecordAsset("abc123", 4096);
  CHECK(a.path == (std::filesystem::path(f.dir.path()) / "assets" / "abc123").string());
  CHECK_FALSE(a.complete());
  CHECK(std::filesystem::is_directory(s.AssetsDir()));
  CHECK(s.TEST_IncompleteAssets().size() == 1);
  s.SetAssetBytes("abc123", 4096);
  CHECK(s.GetAsset("abc123")->complete());
  CHECK(s.TEST_IncompleteAssets().empty());
  CHECK_FALSE(s.GetAsset("nope"));
  CHECK_THROWS_AS(s.SetAssetBytes("nope", 1), StoreError);
  CHECK_THROWS_AS(s.RecordAsset("../etc/passwd", 1), StoreError);
}

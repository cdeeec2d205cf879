// Store: per-account sync state, data usage, and downloaded assets.
#include <filesystem>

#include "mano/storage/data_dir.h"
#include "store_impl.h"

namespace mano::storage {

SyncState Store::GetSyncState(const std::string& account) {
  auto s = impl_->db->Prepare(
      "SELECT last_contact_ms, offline_since_ms, next_retry_ms, backoff_step, "
      "pending_claim_key, auth_refused_ms FROM sync_state WHERE account = ?");
  if (!s->BindAll(account).Step()) return SyncState{};
  return SyncState{s->Int(0),  s->Int(1), s->Int(2), static_cast<int>(s->Int(3)),
                   s->Text(4), s->Int(5)};
}

void Store::PutSyncState(const std::string& account, const SyncState& st) {
  Database& db = *impl_->db;
  Transaction tx(db);
  impl_->RequireAccount(account);
  // The pending claim key is left as stored: only BeginClaim/EndClaim change it, so a pass
  // writing back the backoff it read at its start can never drop another claim's key.
  db.Prepare(
        "INSERT INTO sync_state(account, last_contact_ms, offline_since_ms, next_retry_ms, "
        "backoff_step, pending_claim_key, auth_refused_ms) VALUES(?, ?, ?, ?, ?, '', ?) "
        "ON CONFLICT(account) DO UPDATE SET last_contact_ms = excluded.last_contact_ms, "
        "offline_since_ms = excluded.offline_since_ms, next_retry_ms = excluded.next_retry_ms, "
        "backoff_step = excluded.backoff_step, auth_refused_ms = excluded.auth_refused_ms")
      ->BindAll(account, st.last_contact_ms, st.offline_since_ms, st.next_retry_ms, st.backoff_step,
                st.auth_refused_ms)
      .Run();
  tx.Commit();
}

std::string Store::BeginClaim(const std::string& account, const std::string& fresh_key) {
  Database& db = *impl_->db;
  Transaction tx(db);
  impl_->RequireAccount(account);
  auto s = db.Prepare("SELECT pending_claim_key FROM sync_state WHERE account = ?");
  std::string key = s->BindAll(account).Step() ? s->Text(0) : std::string();
  if (key.empty()) {
    key = fresh_key;
    db.Prepare(
          "INSERT INTO sync_state(account, last_contact_ms, offline_since_ms, next_retry_ms, "
          "backoff_step, pending_claim_key) VALUES(?, 0, 0, 0, 0, ?) "
          "ON CONFLICT(account) DO UPDATE SET pending_claim_key = excluded.pending_claim_key")
        ->BindAll(account, key)
        .Run();
  }
  tx.Commit();
  return key;
}

bool Store::Impl::ClearClaimKey(const std::string& account, const std::string& key) {
  db->Prepare(
        "UPDATE sync_state SET pending_claim_key = '' WHERE account = ? AND pending_claim_key = ?")
      ->BindAll(account, key)
      .Run();
  return db->Changes() > 0;
}

bool Store::EndClaim(const std::string& account, const std::string& key) {
  Transaction tx(*impl_->db);
  const bool cleared = impl_->ClearClaimKey(account, key);
  tx.Commit();
  return cleared;
}

void Store::AddBytes(const std::string& account, std::string_view day, Direction direction,
                     int64_t n) {
  Database& db = *impl_->db;
  Transaction tx(db);
  bool up = direction == Direction::kUp;
  db.Prepare(
        "INSERT INTO data_usage(account, day, up, down) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(account, day) DO UPDATE SET up = up + excluded.up, "
        "down = down + excluded.down")
      ->BindAll(account, day, up ? n : 0, up ? 0 : n)
      .Run();
  tx.Commit();
}

ByteCounts Store::BytesUsed(const std::string& account, std::string_view first_day,
                            std::string_view last_day) {
  auto s = impl_->db->Prepare(
      "SELECT coalesce(sum(up), 0), coalesce(sum(down), 0) FROM data_usage "
      "WHERE (?1 = '' OR account = ?1) AND day >= ?2 AND day <= ?3");
  s->BindAll(account, first_day, last_day).Step();
  return ByteCounts{s->Int(0), s->Int(1)};
}

std::string Store::AssetsDir() const {
  return (std::filesystem::path(impl_->data_dir) / "assets").string();
}

namespace {

Asset ReadAsset(Statement& s, const std::string& dir) {
  std::string hash = s.Text(0);
  std::string path = (std::filesystem::path(dir) / hash).string();
  return Asset{hash, s.Int(1), s.Int(2), path};
}

}  // namespace

Asset Store::RecordAsset(const std::string& hash, int64_t expected_size) {
  // The hash names a file: refuse anything that could escape the assets folder.
  if (hash.empty() || hash.find_first_of("/\\") != std::string::npos || hash[0] == '.')
    throw StoreError(StoreError::Kind::kInvalidArgument, "invalid asset hash '" + hash + "'");
  Database& db = *impl_->db;
  if (db.path() != ":memory:") EnsurePrivateDir(AssetsDir());
  Transaction tx(db);
  db.Prepare(
        "INSERT INTO assets(hash, expected_size, bytes_present, recorded_ms) "
        "VALUES(?, ?, 0, ?) ON CONFLICT(hash) DO UPDATE SET expected_size = excluded.expected_size")
      ->BindAll(hash, expected_size, impl_->Now())
      .Run();
  tx.Commit();
  return *GetAsset(hash);
}

void Store::SetAssetBytes(const std::string& hash, int64_t bytes_present) {
  Database& db = *impl_->db;
  Transaction tx(db);
  db.Prepare("UPDATE assets SET bytes_present = ? WHERE hash = ?")
      ->BindAll(bytes_present, hash)
      .Run();
  if (db.Changes() == 0) impl_->NotFound("asset " + hash);
  tx.Commit();
}

std::optional<Asset> Store::GetAsset(const std::string& hash) {
  auto s =
      impl_->db->Prepare("SELECT hash, expected_size, bytes_present FROM assets WHERE hash = ?");
  if (!s->BindAll(hash).Step()) return std::nullopt;
  return ReadAsset(*s, AssetsDir());
}

std::vector<Asset> Store::TEST_IncompleteAssets() {
  auto s = impl_->db->Prepare(
      "SELECT hash, expected_size, bytes_present FROM assets "
      "WHERE bytes_present < expected_size OR expected_size = 0 ORDER BY hash");
  const std::string dir = AssetsDir();
  return s->Rows([&dir](Statement& row) { return ReadAsset(row, dir); });
}

}  // namespace mano::storage

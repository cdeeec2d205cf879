// Store: drafts and their checkpoints (the worker's partial work; must never be lost).
#include "mano/storage/sha256.h"
#include "store_impl.h"

namespace mano::storage {
namespace {

#define MANO_CHECKPOINT_COLUMNS                                                           \
  "SELECT assignment_id, version, content, ui_position, sha256, saved_ms, restored_from " \
  "FROM checkpoints "

Checkpoint ReadCheckpoint(Statement& s) {
  return Checkpoint{s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6)};
}

}  // namespace

namespace {

// Inserts version (latest + 1) and drops versions beyond `keep`. Inside a transaction.
int64_t InsertVersion(Store::Impl& impl, int64_t assignment_id, int64_t latest,
                      std::string_view content, std::string_view ui_position,
                      const std::string& hash, int64_t restored_from) {
  Database& db = *impl.db;
  int64_t version = latest + 1;
  db.Prepare(
        "INSERT INTO checkpoints(assignment_id, version, content, ui_position, sha256, "
        "saved_ms, restored_from) VALUES(?, ?, ?, ?, ?, ?, ?)")
      ->BindAll(assignment_id, version, Blob{content}, ui_position, hash, impl.Now(), restored_from)
      .Run();
  db.Prepare("DELETE FROM checkpoints WHERE assignment_id = ? AND version <= ?")
      ->BindAll(assignment_id, version - std::max(impl.options.checkpoint_keep, 1))
      .Run();
  return version;
}

}  // namespace

SaveResult Store::SaveCheckpoint(int64_t assignment_id, std::string_view content,
                                 std::string_view ui_position) {
  std::string hash = Sha256Hex(content);
  Database& db = *impl_->db;
  Transaction tx(db);
  int64_t latest = 0;
  {
    auto s = db.Prepare(
        "SELECT version, sha256 FROM checkpoints WHERE assignment_id = ? "
        "ORDER BY version DESC LIMIT 1");
    if (s->BindAll(assignment_id).Step()) {
      latest = s->Int(0);
      // Same hash means same content (SHA-256); nothing to write.
      if (s->Text(1) == hash) return SaveResult{latest, hash, false};
    }
  }
  if (latest == 0) {
    auto s = db.Prepare("SELECT 1 FROM assignments WHERE id = ?");
    if (!s->BindAll(assignment_id).Step())
      impl_->NotFound("assignment " + std::to_string(assignment_id));
  }
  int64_t version = InsertVersion(*impl_, assignment_id, latest, content, ui_position, hash, 0);
  tx.Commit();
  return SaveResult{version, hash, true};
}

std::optional<Checkpoint> Store::LatestCheckpoint(int64_t assignment_id) {
  auto s = impl_->db->Prepare(MANO_CHECKPOINT_COLUMNS
                              "WHERE assignment_id = ? ORDER BY version DESC LIMIT 1");
  if (!s->BindAll(assignment_id).Step()) return std::nullopt;
  return ReadCheckpoint(*s);
}

std::vector<Checkpoint> Store::CheckpointHistory(int64_t assignment_id) {
  auto s =
      impl_->db->Prepare(MANO_CHECKPOINT_COLUMNS "WHERE assignment_id = ? ORDER BY version DESC");
  s->BindAll(assignment_id);
  std::vector<Checkpoint> out;
  while (s->Step()) out.push_back(ReadCheckpoint(*s));
  return out;
}

std::optional<Checkpoint> Store::UndoCheckpoint(int64_t assignment_id) {
  Database& db = *impl_->db;
  Transaction tx(db);
  auto latest = LatestCheckpoint(assignment_id);
  if (!latest) return std::nullopt;
  // A restored version stands for the one it came from, so undo keeps walking back.
  int64_t base = latest->restored_from ? latest->restored_from : latest->version;
  std::optional<Checkpoint> previous;
  {
    auto s = db.Prepare(MANO_CHECKPOINT_COLUMNS
                        "WHERE assignment_id = ? AND version < ? ORDER BY version DESC LIMIT 1");
    if (s->BindAll(assignment_id, base).Step()) previous = ReadCheckpoint(*s);
  }
  if (!previous) return std::nullopt;
  int64_t version = InsertVersion(*impl_, assignment_id, latest->version, previous->content,
                                  previous->ui_position, previous->sha256, previous->version);
  auto account = db.Prepare("SELECT account FROM assignments WHERE id = ?");
  if (account->BindAll(assignment_id).Step())
    impl_->Journal(account->Text(0), assignment_id, "checkpoint_undo",
                   "{\"restored\":" + std::to_string(previous->version) +
                       ",\"as\":" + std::to_string(version) + "}");
  tx.Commit();
  return LatestCheckpoint(assignment_id);
}

}  // namespace mano::storage

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

namespace {

struct Latest {
  int64_t version = 0;
  std::string sha256;
};

// The latest version of a draft (0 when none); kNotFound when the assignment is missing.
Latest ReadLatest(Store::Impl& impl, int64_t assignment_id) {
  Database& db = *impl.db;
  Latest latest;
  auto s = db.Prepare(
      "SELECT version, sha256 FROM checkpoints WHERE assignment_id = ? "
      "ORDER BY version DESC LIMIT 1");
  if (s->BindAll(assignment_id).Step()) {
    latest.version = s->Int(0);
    latest.sha256 = s->Text(1);
    return latest;
  }
  auto a = db.Prepare("SELECT 1 FROM assignments WHERE id = ?");
  if (!a->BindAll(assignment_id).Step())
    impl.NotFound("assignment " + std::to_string(assignment_id));
  return latest;
}

}  // namespace

SaveResult Store::SaveCheckpoint(int64_t assignment_id, std::string_view content,
                                 std::string_view ui_position) {
  std::string hash = Sha256Hex(content);
  Transaction tx(*impl_->db);
  Latest latest = ReadLatest(*impl_, assignment_id);
  // Same hash means same content (SHA-256); nothing to write.
  if (latest.version > 0 && latest.sha256 == hash) return SaveResult{latest.version, hash, false};
  int64_t version =
      InsertVersion(*impl_, assignment_id, latest.version, content, ui_position, hash, 0);
  tx.Commit();
  return SaveResult{version, hash, true};
}

SaveResult Store::SaveCheckpoint(int64_t assignment_id, std::string_view content,
                                 std::string_view ui_position, int64_t expected_version,
                                 OnConflict on_conflict) {
  std::string hash = Sha256Hex(content);
  Database& db = *impl_->db;
  Transaction tx(db);
  Latest latest = ReadLatest(*impl_, assignment_id);
  if (latest.version > 0 && latest.sha256 == hash) return SaveResult{latest.version, hash, false};
  if (latest.version == expected_version) {
    int64_t version =
        InsertVersion(*impl_, assignment_id, latest.version, content, ui_position, hash, 0);
    tx.Commit();
    return SaveResult{version, hash, true};
  }
  SaveResult result{latest.version, latest.sha256, false, true};
  if (on_conflict == OnConflict::kRefuse) return result;
  auto current = LatestCheckpoint(assignment_id);
  int64_t aside =
      InsertVersion(*impl_, assignment_id, latest.version, content, ui_position, hash, 0);
  result.version = InsertVersion(*impl_, assignment_id, aside, current->content,
                                 current->ui_position, current->sha256, 0);
  result.written = true;
  auto account = db.Prepare("SELECT account FROM assignments WHERE id = ?");
  if (account->BindAll(assignment_id).Step())
    impl_->Journal(account->Text(0), assignment_id, "checkpoint_conflict",
                   "{\"expected\":" + std::to_string(expected_version) +
                       ",\"found\":" + std::to_string(latest.version) +
                       ",\"kept_as\":" + std::to_string(aside) + "}");
  tx.Commit();
  return result;
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
  return s->BindAll(assignment_id).Rows(ReadCheckpoint);
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

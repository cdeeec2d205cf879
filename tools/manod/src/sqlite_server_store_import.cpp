// SqliteServerStore's import batch (server_store.h, ImportBatch): one IMMEDIATE transaction for
// a whole import file, held with the store's mutex until Commit() or destruction. Assets go
// into their row through SQLite's incremental blob I/O, a piece at a time: an INSERT of a
// zeroblob of the right size (which SQLite writes without materialising it), then
// sqlite3_blob_write of each piece the reader hands over.
#include <sqlite3.h>

#include <mutex>
#include <vector>

#include "sqlite_server_store.h"

namespace mano::manod {

namespace {

constexpr size_t kPieceBytes = 1 << 20;

struct BlobCloser {
  void operator()(sqlite3_blob* blob) const noexcept { sqlite3_blob_close(blob); }
};
using BlobHandle = std::unique_ptr<sqlite3_blob, BlobCloser>;

class SqliteImportBatch : public ImportBatch {
 public:
  SqliteImportBatch(std::mutex& mu, SqliteDb& db, int64_t now)
      : lock_(mu), db_(db), tx_(db), now_(now) {}

  void PutAsset(const std::string& hash, const std::string& type, int64_t size,
                const AssetReader& read) override {
    SqliteStatement s(db_,
                      "INSERT OR IGNORE INTO assets(hash, type, data) VALUES(?, ?, zeroblob(?))");
    s.Bind(1, hash).Bind(2, type).Bind(3, size).Run();
    if (db_.Changes() != 1) return;  // stored by an earlier task or import
    sqlite3_blob* raw = nullptr;
    int rc =
        sqlite3_blob_open(db_.handle(), "main", "assets", "data", db_.LastInsertRowId(), 1, &raw);
    BlobHandle blob(raw);
    if (rc != SQLITE_OK) {
      db_.Fail(rc, "cannot open the asset blob");
    }
    std::vector<char> piece(kPieceBytes);
    int64_t offset = 0;
    for (;;) {
      size_t n = read(piece.data(), piece.size());
      if (n == 0) break;
      if (offset + static_cast<int64_t>(n) > size) {
        throw std::runtime_error("the asset grew while it was imported");
      }
      rc = sqlite3_blob_write(blob.get(), piece.data(), static_cast<int>(n),
                              static_cast<int>(offset));
      if (rc != SQLITE_OK) {
        db_.Fail(rc, "cannot open the asset blob");
      }
      offset += static_cast<int64_t>(n);
    }
    if (offset != size) throw std::runtime_error("the asset shrank while it was imported");
  }

  bool PutTask(const TaskRecord& task) override {
    SqliteStatement s(db_,
                      "INSERT OR IGNORE INTO tasks(id, kind, task_json, input_json,"
                      " max_assignments, lease_ms, renew_on_anchor, reward, currency, created)"
                      " VALUES(?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, task.id).Bind(2, task.kind).Bind(3, task.task_json).Bind(4, task.input_json);
    s.Bind(5, task.max_assignments).Bind(6, task.lease_ms).Bind(7, task.renew_on_anchor ? 1 : 0);
    s.Bind(8, task.reward).Bind(9, task.currency).Bind(10, now_).Run();
    if (db_.Changes() != 1) return false;
    SqliteStatement a(db_, "INSERT OR IGNORE INTO task_assets(task_id, hash) VALUES(?, ?)");
    for (const auto& hash : task.asset_hashes) {
      a.Reset();
      a.Bind(1, task.id).Bind(2, hash).Run();
    }
    return true;
  }

  bool SameTaskStored(const TaskRecord& task) override {
    SqliteStatement s(db_, "SELECT kind, task_json, input_json FROM tasks WHERE id=?");
    s.Bind(1, task.id);
    return s.Step() && s.Text(0) == task.kind && s.Text(1) == task.task_json &&
           s.Text(2) == task.input_json;
  }

  void Commit() override { tx_.Commit(); }

 private:
  std::unique_lock<std::mutex> lock_;  // declared first: released after the rollback
  SqliteDb& db_;
  SqliteTransaction tx_;
  int64_t now_;
};

}  // namespace

std::unique_ptr<ImportBatch> SqliteServerStore::BeginImport(int64_t now) {
  return std::make_unique<SqliteImportBatch>(mu_, *db_, now);
}

}  // namespace mano::manod

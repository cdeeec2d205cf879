// PgServerStore's uploads, export and operator views. The views each run in one REPEATABLE
// READ, READ ONLY transaction, so the counts of one call agree with each other while other
// processes keep writing.
#include <map>

#include "pg_server_store.h"
#include "server_rows.h"

namespace mano::manod {

namespace {

// The open uploads: those no stored result names.
constexpr const char* kUploadIsOpen =
    "NOT EXISTS(SELECT 1 FROM results r WHERE r.upload_id=uploads.id)";

// Every assignment with its operator state: `expired` for a lease past its deadline ($1).
constexpr const char* kStates =
    "WITH s AS (SELECT x.id, x.task_id, x.worker_id, x.leased_at, x.deadline, x.submitted_at,"
    " CASE WHEN x.state='leased' AND x.deadline<=$1::bigint THEN 'expired' ELSE x.state END"
    " AS st FROM assignments x) ";

constexpr const char* kSnapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

}  // namespace

UploadOutcome PgServerStore::CreateUpload(int64_t worker_id, const std::string& id, int64_t length,
                                          int64_t now, const UploadQuota& quota) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    // The worker's row lock makes the quota hold across processes.
    conn.Exec("SELECT 1 FROM workers WHERE id=$1 FOR UPDATE", PgParams().Add(worker_id));
    PgResult open = conn.Exec(std::string("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM uploads"
                                          " WHERE worker_id=$1 AND ") +
                                  kUploadIsOpen,
                              PgParams().Add(worker_id));
    if (quota.max_open > 0 && open.Int(0, 0) >= quota.max_open) return UploadOutcome::kTooMany;
    if (quota.max_open_bytes > 0 && open.Int(0, 1) + length > quota.max_open_bytes) {
      return UploadOutcome::kTooManyBytes;
    }
    conn.Exec("INSERT INTO uploads(id, worker_id, length, off, created) VALUES($1, $2, $3, 0, $4)",
              PgParams().Add(id).Add(worker_id).Add(length).Add(now));
    tx.Commit();
    return UploadOutcome::kCreated;
  });
}

int64_t PgServerStore::ExpireUploads(int64_t created_before) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    const std::string expired =
        std::string("SELECT id FROM uploads WHERE created<$1 AND ") + kUploadIsOpen;
    conn.Exec("DELETE FROM upload_chunks WHERE upload_id IN (" + expired + ")",
              PgParams().Add(created_before));
    const int64_t gone = conn.Exec("DELETE FROM uploads WHERE id IN (" + expired + ")",
                                   PgParams().Add(created_before))
                             .Affected();
    tx.Commit();
    return gone;
  });
}

std::optional<UploadRecord> PgServerStore::GetUpload(int64_t worker_id, const std::string& id) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec(
      "SELECT u.length, u.off, r.key, r.hash FROM uploads u LEFT JOIN results r"
      " ON r.upload_id=u.id AND r.worker_id=u.worker_id WHERE u.id=$1 AND u.worker_id=$2",
      PgParams().Add(id).Add(worker_id));
  if (r.Rows() == 0) return std::nullopt;
  UploadRecord u{id, r.Int(0, 0), r.Int(0, 1), std::nullopt, {}};
  if (!r.IsNull(0, 2)) {
    u.attached_key = r.Text(0, 2);
    u.attached_hash = r.Text(0, 3);
  }
  return u;
}

ChangeOutcome PgServerStore::AppendUpload(int64_t worker_id, const std::string& id, int64_t offset,
                                          const std::string& bytes, int64_t* current) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    PgResult s =
        conn.Exec("SELECT length, off FROM uploads WHERE id=$1 AND worker_id=$2 FOR UPDATE",
                  PgParams().Add(id).Add(worker_id));
    if (s.Rows() == 0) return ChangeOutcome::kNotFound;
    const int64_t length = s.Int(0, 0);
    *current = s.Int(0, 1);
    if (offset != *current || offset + static_cast<int64_t>(bytes.size()) > length) {
      return ChangeOutcome::kConflict;
    }
    if (!bytes.empty()) {
      conn.Exec("INSERT INTO upload_chunks(upload_id, off, data) VALUES($1, $2, $3)",
                PgParams().Add(id).Add(offset).AddBytes(bytes));
    }
    *current = offset + static_cast<int64_t>(bytes.size());
    conn.Exec("UPDATE uploads SET off=$1 WHERE id=$2", PgParams().Add(*current).Add(id));
    tx.Commit();
    return ChangeOutcome::kDone;
  });
}

ChangeOutcome PgServerStore::DeleteUpload(int64_t worker_id, const std::string& id) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    // The row lock orders this against a PATCH of the same upload (AppendUpload locks it too).
    PgResult s = conn.Exec(std::string("SELECT (") + kUploadIsOpen +
                               ")::int FROM uploads WHERE id=$1 AND worker_id=$2 FOR UPDATE",
                           PgParams().Add(id).Add(worker_id));
    if (s.Rows() == 0) return ChangeOutcome::kNotFound;
    if (s.Int(0, 0) == 0) return ChangeOutcome::kConflict;
    conn.Exec("DELETE FROM upload_chunks WHERE upload_id=$1", PgParams().Add(id));
    conn.Exec("DELETE FROM uploads WHERE id=$1", PgParams().Add(id));
    tx.Commit();
    return ChangeOutcome::kDone;
  });
}

namespace {

// An upload's chunks in one read-only snapshot (REPEATABLE READ): its state first, then one
// query per chunk, so no more than one chunk is ever held (a query for all of them would bring
// the whole upload, twice over in bytea's hex form).
class PgChunkReader : public UploadChunks {
 public:
  PgChunkReader(PgPool& pool, int64_t worker_id, const std::string& id)
      : UploadChunks(0), lease_(pool.Acquire()), id_(id) {
    tx_.emplace(*lease_);
    lease_->Exec(kSnapshot);
    PgResult u = lease_->Exec(
        "SELECT length, off, EXISTS(SELECT 1 FROM results r WHERE r.upload_id=u.id)::int"
        " FROM uploads u WHERE u.id=$1 AND u.worker_id=$2",
        PgParams().Add(id).Add(worker_id));
    found_ = u.Rows() == 1 && u.Int(0, 0) == u.Int(0, 1) && u.Int(0, 2) == 0;
    if (found_) set_length(u.Int(0, 0));
  }
  bool found() const { return found_; }

 protected:
  std::string_view Fetch() override {
    chunk_.clear();
    PgResult c = lease_->Exec(
        "SELECT off, data FROM upload_chunks WHERE upload_id=$1 AND off>=$2::bigint"
        " ORDER BY off LIMIT 1",
        PgParams().Add(id_).Add(next_));
    if (c.Rows() == 0) return {};
    chunk_ = c.Bytes(0, 1);
    next_ = c.Int(0, 0) + static_cast<int64_t>(chunk_.size());
    return chunk_;
  }

 private:
  PgPool::Lease lease_;
  std::optional<PgTransaction> tx_;  // rolled back (read only) before the lease goes back
  std::string id_;
  bool found_ = false;
  int64_t next_ = 0;
  std::string chunk_;
};

}  // namespace

std::unique_ptr<UploadChunks> PgServerStore::OpenUpload(int64_t worker_id, const std::string& id) {
  auto reader = std::make_unique<PgChunkReader>(pool_, worker_id, id);
  if (!reader->found()) return nullptr;
  return reader;
}

void PgServerStore::ForEachResult(const std::function<void(const ExportRow&)>& row) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec(ExportRowsQuery("t.task_json::jsonb #>> '{form,title}'",
                                          "t.task_json::jsonb #>> '{form,instructions}'"));
  for (int i = 0; i < r.Rows(); ++i) row(ReadExportRow(PgRow(r, i)));
}

std::vector<KindCounts> PgServerStore::CountByKind(int64_t now) {
  auto conn = pool_.Acquire();
  PgTransaction tx(*conn);
  conn->Exec(kSnapshot);
  std::map<std::string, KindCounts> kinds;
  // Open: the same rule as Claim (live leases plus results below max_assignments).
  PgResult tasks = conn->Exec(
      "SELECT t.kind, COUNT(*), COUNT(*) FILTER (WHERE t.withdrawn=0 AND (SELECT COUNT(*)"
      " FROM assignments x WHERE x.task_id=t.id AND ((x.state='leased' AND x.deadline>$1::bigint)"
      " OR x.state IN ('submitted','approved','rejected'))) < t.max_assignments),"
      " SUM(t.withdrawn) FROM tasks t GROUP BY t.kind",
      PgParams().Add(now));
  for (int i = 0; i < tasks.Rows(); ++i) {
    KindCounts& c = kinds[tasks.Text(i, 0)];
    c.kind = tasks.Text(i, 0);
    c.tasks = tasks.Int(i, 1);
    c.open = tasks.Int(i, 2);
    c.withdrawn = tasks.Int(i, 3);
  }
  PgResult states = conn->Exec(std::string(kStates) +
                                   "SELECT t.kind, s.st, COUNT(*) FROM s JOIN tasks t ON"
                                   " t.id=s.task_id GROUP BY t.kind, s.st",
                               PgParams().Add(now));
  for (int i = 0; i < states.Rows(); ++i) {
    KindCounts& c = kinds[states.Text(i, 0)];
    const std::string state = states.Text(i, 1);
    const int64_t n = states.Int(i, 2);
    c.Add(state, n);
    if (state == "returned") c.returned += n;
    if (state == "revoked" || state == "withdrawn") c.revoked += n;
  }
  tx.Commit();
  std::vector<KindCounts> out;
  for (auto& [kind, counts] : kinds) out.push_back(std::move(counts));
  return out;
}

std::vector<WorkerCounts> PgServerStore::CountByWorker(int64_t now) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec(std::string(kStates) +
                              "SELECT w.name, w.revoked, s.st, COUNT(s.id) FROM workers w"
                              " LEFT JOIN s ON s.worker_id=w.id GROUP BY w.id, w.name,"
                              " w.revoked, s.st ORDER BY w.name",
                          PgParams().Add(now));
  std::vector<WorkerCounts> out;
  for (int i = 0; i < r.Rows(); ++i) {
    if (out.empty() || out.back().name != r.Text(i, 0)) {
      out.emplace_back();
      out.back().name = r.Text(i, 0);
      out.back().revoked = r.Int(i, 1) != 0;
    }
    if (!r.IsNull(i, 2)) out.back().Add(r.Text(i, 2), r.Int(i, 3));
  }
  return out;
}

std::vector<AssignmentView> PgServerStore::ListAssignments(const std::string& worker, int64_t now) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec(std::string(kStates) +
                              "SELECT s.id, s.task_id, t.kind, w.name, s.st, s.leased_at,"
                              " s.deadline, s.submitted_at FROM s JOIN tasks t ON t.id=s.task_id"
                              " JOIN workers w ON w.id=s.worker_id WHERE $2::text='' OR"
                              " w.name=$2::text ORDER BY s.id",
                          PgParams().Add(now).Add(worker));
  std::vector<AssignmentView> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadAssignmentView(PgRow(r, i)));
  return out;
}

}  // namespace mano::manod

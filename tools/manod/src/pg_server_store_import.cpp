// PgServerStore's schema, its migrations, and its import batch (server_store.h, ImportBatch):
// one transaction on one pooled connection for a whole import file. Other calls go on beside
// it (PostgreSQL needs no store-wide lock); nothing it adds is visible before Commit().
// Assets go in as 1 MiB chunk rows, so an asset is never whole in memory.
#include <libpq-fe.h>

#include <vector>

#include "pg_server_store.h"

namespace mano::manod {

namespace {

constexpr int64_t kMigrateLock = 0x6d616e6f02;  // "mano" 2: schema migrations

// Migration n takes a database from version n-1 to n. Append; never edit a released one.
const std::vector<const char*> kMigrations = {
    // 1: the schema of the SQLite store (sqlite_server_store.cpp), its blobs as chunk rows.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE workers(
  id BIGSERIAL PRIMARY KEY, name TEXT UNIQUE NOT NULL, token_hash TEXT UNIQUE NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, created BIGINT NOT NULL);
CREATE TABLE tasks(
  seq BIGSERIAL PRIMARY KEY, id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, task_json TEXT NOT NULL,
  input_json TEXT NOT NULL, max_assignments BIGINT NOT NULL, lease_ms BIGINT NOT NULL,
  renew_on_anchor INTEGER NOT NULL, reward BIGINT NOT NULL, currency TEXT NOT NULL DEFAULT 'USD',
  withdrawn INTEGER NOT NULL DEFAULT 0, created BIGINT NOT NULL);
CREATE INDEX tasks_kind ON tasks(kind, seq);
CREATE TABLE task_assets(task_id TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY(task_id, hash));
CREATE INDEX task_assets_hash ON task_assets(hash);
CREATE TABLE assets(hash TEXT PRIMARY KEY, type TEXT NOT NULL, size BIGINT NOT NULL);
CREATE TABLE asset_chunks(
  hash TEXT NOT NULL, off BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY(hash, off));
CREATE TABLE claims(
  worker_id BIGINT NOT NULL, key TEXT NOT NULL, t BIGINT NOT NULL, PRIMARY KEY(worker_id, key));
CREATE TABLE assignments(
  id BIGSERIAL PRIMARY KEY, task_id TEXT NOT NULL, worker_id BIGINT NOT NULL,
  claim_key TEXT NOT NULL, state TEXT NOT NULL, leased_at BIGINT NOT NULL,
  deadline BIGINT NOT NULL, submitted_at BIGINT, UNIQUE(task_id, worker_id));
CREATE INDEX assignments_claim ON assignments(worker_id, claim_key);
CREATE INDEX assignments_task ON assignments(task_id, state);
CREATE TABLE anchors(assignment_id BIGINT NOT NULL, hash TEXT NOT NULL, t BIGINT NOT NULL);
CREATE INDEX anchors_assignment ON anchors(assignment_id, t);
CREATE TABLE receipts(
  worker_id BIGINT NOT NULL, key TEXT NOT NULL, assignment_id BIGINT NOT NULL,
  hash TEXT NOT NULL, receipt TEXT NOT NULL, PRIMARY KEY(worker_id, key));
CREATE TABLE results(
  assignment_id BIGINT PRIMARY KEY, worker_id BIGINT NOT NULL, key TEXT NOT NULL,
  answer TEXT NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL, upload_id TEXT,
  t BIGINT NOT NULL);
CREATE INDEX results_upload ON results(upload_id);
CREATE TABLE events(
  seq BIGSERIAL PRIMARY KEY, worker_id BIGINT NOT NULL, type TEXT NOT NULL,
  assignment_id BIGINT NOT NULL, reason TEXT NOT NULL, amount BIGINT NOT NULL,
  currency TEXT NOT NULL DEFAULT '', t BIGINT NOT NULL);
CREATE INDEX events_worker ON events(worker_id, seq);
CREATE TABLE uploads(
  id TEXT PRIMARY KEY, worker_id BIGINT NOT NULL, length BIGINT NOT NULL, off BIGINT NOT NULL,
  created BIGINT NOT NULL);
CREATE INDEX uploads_worker ON uploads(worker_id, created);
CREATE TABLE upload_chunks(
  upload_id TEXT NOT NULL, off BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY(upload_id, off));
)sql",
    // 2: zstd dictionaries (dict_table.h), as the SQLite store keeps them.
    R"sql(
CREATE TABLE dicts(
  id BIGINT PRIMARY KEY, kind TEXT NOT NULL, bytes BYTEA NOT NULL, created BIGINT NOT NULL,
  seq BIGINT NOT NULL);
CREATE INDEX dicts_kind ON dicts(kind, seq);
)sql",
    // 3: the claim's hint (pg_server_store.cpp, Claim): assignments that hold each task, kept
    // as they are made and handed back, and an index of the tasks under it.
    R"sql(
ALTER TABLE tasks ADD COLUMN taken BIGINT NOT NULL DEFAULT 0;
UPDATE tasks SET taken=(SELECT count(*) FROM assignments a WHERE a.task_id=tasks.id
  AND a.state IN ('leased','submitted','approved','rejected'));
CREATE INDEX tasks_untaken ON tasks(seq) WHERE withdrawn=0 AND taken < max_assignments;
)sql",
};

class PgImportBatch : public ImportBatch {
 public:
  PgImportBatch(PgPool& pool, int64_t now) : conn_(pool.Acquire()), tx_(*conn_), now_(now) {}

  void PutAsset(const std::string& hash, const std::string& type, int64_t size,
                const AssetReader& read) override {
    // A concurrent import of the same asset waits here for this one, then skips it.
    if (conn_
            ->Exec("INSERT INTO assets(hash, type, size) VALUES($1, $2, $3)"
                   " ON CONFLICT DO NOTHING",
                   PgParams().Add(hash).Add(type).Add(size))
            .Affected() != 1) {
      return;  // stored by an earlier task or import
    }
    std::vector<char> chunk(PgServerStore::kChunkBytes);
    size_t filled = 0;
    int64_t offset = 0;  // of chunk[0] in the asset
    auto flush = [&] {
      if (filled == 0) return;
      conn_->Exec("INSERT INTO asset_chunks(hash, off, data) VALUES($1, $2, $3)",
                  PgParams().Add(hash).Add(offset).AddBytes(std::string(chunk.data(), filled)));
      offset += static_cast<int64_t>(filled);
      filled = 0;
    };
    for (;;) {
      size_t n = read(chunk.data() + filled, chunk.size() - filled);
      if (n == 0) break;
      if (offset + static_cast<int64_t>(filled + n) > size) {
        throw std::runtime_error("the asset grew while it was imported");
      }
      filled += n;
      if (filled == chunk.size()) flush();
    }
    flush();
    if (offset != size) throw std::runtime_error("the asset shrank while it was imported");
  }

  bool PutTask(const TaskRecord& task) override {
    if (conn_
            ->Exec("INSERT INTO tasks(id, kind, task_json, input_json, max_assignments,"
                   " lease_ms, renew_on_anchor, reward, currency, created)"
                   " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                   PgParams()
                       .Add(task.id)
                       .Add(task.kind)
                       .Add(task.task_json)
                       .Add(task.input_json)
                       .Add(task.max_assignments)
                       .Add(task.lease_ms)
                       .Add(task.renew_on_anchor ? 1 : 0)
                       .Add(task.reward)
                       .Add(task.currency)
                       .Add(now_))
            .Affected() != 1) {
      return false;
    }
    for (const auto& hash : task.asset_hashes) {
      conn_->Exec("INSERT INTO task_assets(task_id, hash) VALUES($1, $2) ON CONFLICT DO NOTHING",
                  PgParams().Add(task.id).Add(hash));
    }
    return true;
  }

  bool SameTaskStored(const TaskRecord& task) override {
    PgResult r = conn_->Exec("SELECT kind, task_json, input_json FROM tasks WHERE id=$1",
                             PgParams().Add(task.id));
    return r.Rows() == 1 && r.Text(0, 0) == task.kind && r.Text(0, 1) == task.task_json &&
           r.Text(0, 2) == task.input_json;
  }

  void Commit() override { tx_.Commit(); }

 private:
  PgPool::Lease conn_;  // declared first: given back after the rollback
  PgTransaction tx_;
  int64_t now_;
};

}  // namespace

PgServerStore::PgServerStore(const std::string& url, bool create) : pool_(url) { Migrate(create); }

bool PgServerStore::HasSchema(const std::string& url) {
  PgConnection conn(url);
  return !conn.Exec("SELECT to_regclass('schema_migrations')").IsNull(0, 0);
}

void PgServerStore::Migrate(bool create) {
  auto conn = pool_.Acquire();
  PgTransaction tx(*conn);
  // Several manod processes may start at once after an upgrade: one migrates, the others
  // wait here and then find nothing left to do.
  conn->Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Add(kMigrateLock));
  if (conn->Exec("SELECT to_regclass('schema_migrations')").IsNull(0, 0)) {
    if (!create) {
      throw PgError("postgresql: the database has no manod schema (run `manod init --db URL`)", "");
    }
    conn->Exec("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied BIGINT)");
  }
  const int64_t current =
      conn->Exec("SELECT coalesce(max(version), 0) FROM schema_migrations").Int(0, 0);
  if (current > static_cast<int64_t>(kMigrations.size())) {
    throw PgError("postgresql: the database's schema (version " + std::to_string(current) +
                      ") is newer than this manod knows; upgrade manod",
                  "");
  }
  for (size_t v = static_cast<size_t>(current) + 1; v <= kMigrations.size(); ++v) {
    conn->ExecScript(kMigrations[v - 1]);
    conn->Exec(
        "INSERT INTO schema_migrations(version, applied)"
        " VALUES($1, (extract(epoch from now()) * 1000)::bigint)",
        PgParams().Add(static_cast<int64_t>(v)));
  }
  tx.Commit();
}

std::unique_ptr<ImportBatch> PgServerStore::BeginImport(int64_t now) {
  return std::make_unique<PgImportBatch>(pool_, now);
}

}  // namespace mano::manod

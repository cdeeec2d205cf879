#include "sqlite_server_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "server_rows.h"

namespace mano::manod {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS workers(
  id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, token_hash TEXT UNIQUE NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tasks(
  seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, task_json TEXT NOT NULL,
  input_json TEXT NOT NULL, max_assignments INTEGER NOT NULL, lease_ms INTEGER NOT NULL,
  renew_on_anchor INTEGER NOT NULL, reward INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS task_assets(
  task_id TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY(task_id, hash));
CREATE INDEX IF NOT EXISTS task_assets_hash ON task_assets(hash);
CREATE TABLE IF NOT EXISTS assets(hash TEXT PRIMARY KEY, type TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS claims(
  worker_id INTEGER NOT NULL, key TEXT NOT NULL, t INTEGER NOT NULL, PRIMARY KEY(worker_id, key));
CREATE TABLE IF NOT EXISTS assignments(
  id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, worker_id INTEGER NOT NULL,
  claim_key TEXT NOT NULL, state TEXT NOT NULL, leased_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL, submitted_at INTEGER, UNIQUE(task_id, worker_id));
CREATE INDEX IF NOT EXISTS assignments_claim ON assignments(worker_id, claim_key);
CREATE INDEX IF NOT EXISTS assignments_task ON assignments(task_id, state);
CREATE TABLE IF NOT EXISTS anchors(
  assignment_id INTEGER NOT NULL, hash TEXT NOT NULL, t INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS anchors_assignment ON anchors(assignment_id, t);
CREATE TABLE IF NOT EXISTS receipts(
  worker_id INTEGER NOT NULL, key TEXT NOT NULL, assignment_id INTEGER NOT NULL,
  hash TEXT NOT NULL, receipt TEXT NOT NULL, PRIMARY KEY(worker_id, key));
CREATE TABLE IF NOT EXISTS results(
  assignment_id INTEGER PRIMARY KEY, worker_id INTEGER NOT NULL, key TEXT NOT NULL,
  answer TEXT NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL, upload_id TEXT,
  t INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, worker_id INTEGER NOT NULL, type TEXT NOT NULL,
  assignment_id INTEGER NOT NULL, reason TEXT NOT NULL, amount INTEGER NOT NULL,
  t INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_worker ON events(worker_id, seq);
CREATE TABLE IF NOT EXISTS uploads(
  id TEXT PRIMARY KEY, worker_id INTEGER NOT NULL, length INTEGER NOT NULL,
  offset INTEGER NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS upload_chunks(
  upload_id TEXT NOT NULL, offset INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY(upload_id, offset));
)sql";

// Run on every open (older databases lack them): which result an upload is attached to, and
// a worker's open uploads, are looked up on every upload call.
constexpr const char* kUploadIndexes = R"sql(
CREATE INDEX IF NOT EXISTS results_upload ON results(upload_id);
CREATE INDEX IF NOT EXISTS uploads_worker ON uploads(worker_id, created);
)sql";

// The open uploads: those no stored result names.
constexpr const char* kUploadIsOpen =
    "NOT EXISTS(SELECT 1 FROM results r WHERE r.upload_id=uploads.id)";

// A task with room for another lease at ?2 (now): its live leases plus results stay under
// max_assignments.
constexpr const char* kTaskIsOpen =
    "(SELECT COUNT(*) FROM assignments x WHERE x.task_id=t.id AND"
    " ((x.state='leased' AND x.deadline>?2) OR x.state IN ('submitted','approved','rejected')))"
    " < t.max_assignments";

}  // namespace

class SqliteServerStore::Reader {
 public:
  explicit Reader(SqliteServerStore& store) : store_(store) {
    {
      std::lock_guard<std::mutex> lock(store_.readers_mu_);
      if (!store_.readers_.empty()) {
        db_ = std::move(store_.readers_.back());
        store_.readers_.pop_back();
      }
    }
    if (!db_) db_ = std::make_unique<SqliteDb>(store_.path_, false);
  }
  ~Reader() {
    std::lock_guard<std::mutex> lock(store_.readers_mu_);
    store_.readers_.push_back(std::move(db_));
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  SqliteDb& db() { return *db_; }

 private:
  SqliteServerStore& store_;
  std::unique_ptr<SqliteDb> db_;
};

SqliteServerStore::SqliteServerStore(const std::string& path, bool create) : path_(path) {
  if (create) {
    // Create the file 0600 before SQLite does; its -wal and -shm files copy this mode.
    int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create database " + path);
    ::fchmod(fd, 0600);
    ::close(fd);
  } else if (::access(path.c_str(), F_OK) != 0) {
    throw std::runtime_error("no database at " + path + " (run `manod init --db " + path +
                             "` first)");
  }
  db_ = std::make_unique<SqliteDb>(path, create);
  db_->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (create) db_->Exec(kSchema);
  db_->Exec(kUploadIndexes);
  Migrate();
}

void SqliteServerStore::Migrate() {
  auto has = [&](const char* table, const char* column) {
    SqliteStatement s(*db_, "SELECT 1 FROM pragma_table_info(?) WHERE name=?");
    s.Bind(1, table).Bind(2, column);
    return s.Step();
  };
  if (has("tasks", "currency") && has("events", "currency")) return;
  SqliteTransaction tx(*db_);
  // Each task's currency was always in its task_json; each money event takes its task's (the
  // server used to say USD whatever it was).
  if (!has("tasks", "currency")) {
    db_->Exec(
        "ALTER TABLE tasks ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';"
        "UPDATE tasks SET currency=coalesce(CASE WHEN json_valid(task_json) THEN"
        " json_extract(task_json, '$.currency') END, 'USD');");
  }
  if (!has("events", "currency")) {
    db_->Exec(
        "ALTER TABLE events ADD COLUMN currency TEXT NOT NULL DEFAULT '';"
        "UPDATE events SET currency=coalesce((SELECT t.currency FROM assignments a JOIN tasks t"
        " ON t.id=a.task_id WHERE a.id=events.assignment_id), 'USD') WHERE amount<>0;");
  }
  tx.Commit();
}

std::optional<std::string> SqliteServerStore::GetMeta(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, "SELECT value FROM meta WHERE key=?");
  s.Bind(1, key);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

void SqliteServerStore::SetMeta(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  s.Bind(1, key).BindBlob(2, value).Run();
}

bool SqliteServerStore::AddWorker(const std::string& name, const std::string& token_hash,
                                  int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_,
                    "INSERT OR IGNORE INTO workers(name, token_hash, created) VALUES(?, ?, ?)");
  s.Bind(1, name).Bind(2, token_hash).Bind(3, now).Run();
  return db_->Changes() == 1;
}

bool SqliteServerStore::RevokeWorker(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, "UPDATE workers SET revoked=1 WHERE name=?");
  s.Bind(1, name).Run();
  return db_->Changes() == 1;
}

bool SqliteServerStore::ReplaceWorkerToken(const std::string& name, const std::string& token_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, "UPDATE workers SET token_hash=?, revoked=0 WHERE name=?");
  s.Bind(1, token_hash).Bind(2, name).Run();
  return db_->Changes() == 1;
}

std::optional<WorkerRecord> SqliteServerStore::WorkerByTokenHash(const std::string& token_hash) {
  // Every request asks: it reads beside the writer instead of waiting for its commits.
  Reader reader(*this);
  SqliteStatement s(reader.db(), "SELECT id, name, revoked FROM workers WHERE token_hash=?");
  s.Bind(1, token_hash);
  if (!s.Step()) return std::nullopt;
  return WorkerRecord{s.Int(0), s.Text(1), s.Int(2) != 0};
}

bool SqliteServerStore::WithdrawTask(const std::string& task_id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  SqliteStatement s(*db_, "UPDATE tasks SET withdrawn=1 WHERE id=?");
  s.Bind(1, task_id).Run();
  if (db_->Changes() != 1) return false;
  SqliteStatement live(*db_,
                       "SELECT id, worker_id FROM assignments WHERE task_id=? AND state='leased'");
  live.Bind(1, task_id);
  std::vector<std::pair<int64_t, int64_t>> ended;
  while (live.Step()) ended.emplace_back(live.Int(0), live.Int(1));
  SqliteStatement end(*db_, "UPDATE assignments SET state='withdrawn' WHERE id=?");
  for (auto [id, worker] : ended) {
    end.Reset();
    end.Bind(1, id).Run();
    AddEvent(worker, "withdrawn", id, "the task was withdrawn", 0, now);
  }
  tx.Commit();
  return true;
}

std::vector<AssignmentRecord> SqliteServerStore::Claim(int64_t worker_id, const std::string& key,
                                                       int count,
                                                       const std::vector<std::string>& kinds,
                                                       int64_t now) {
  std::vector<AssignmentRecord> out;
  // In the group commit's transaction, like submits: concurrent claims share one fsync.
  RunInGroup([&] { out = ClaimInGroup(worker_id, key, count, kinds, now); });
  return out;
}

std::vector<AssignmentRecord> SqliteServerStore::ClaimInGroup(int64_t worker_id,
                                                              const std::string& key, int count,
                                                              const std::vector<std::string>& kinds,
                                                              int64_t now) {
  std::vector<AssignmentRecord> out;
  SqliteStatement seen(*db_, "SELECT 1 FROM claims WHERE worker_id=? AND key=?");
  seen.Bind(1, worker_id).Bind(2, key);
  if (seen.Step()) {
    SqliteStatement s(*db_, std::string("SELECT ") + kAssignmentColumns +
                                " FROM assignments a JOIN tasks t ON t.id=a.task_id"
                                " WHERE a.worker_id=? AND a.claim_key=? ORDER BY a.id");
    s.Bind(1, worker_id).Bind(2, key);
    while (s.Step()) out.push_back(ReadAssignment(s));
    return out;  // nothing written
  }
  SqliteStatement(*db_, "INSERT INTO claims(worker_id, key, t) VALUES(?,?,?)")
      .Bind(1, worker_id)
      .Bind(2, key)
      .Bind(3, now)
      .Run();
  // A task is open while its live leases plus results stay under max_assignments, and a worker
  // never gets the same task twice. The scan starts at the first open task (AdvanceOpenFrom).
  AdvanceOpenFrom(now);
  std::string sql =
      "SELECT t.id, t.lease_ms, t.task_json FROM tasks t WHERE t.seq>=?" +
      std::to_string(kinds.size() + 4) +
      " AND t.withdrawn=0"
      " AND NOT EXISTS(SELECT 1 FROM assignments x WHERE x.task_id=t.id AND x.worker_id=?1)"
      " AND " +
      kTaskIsOpen;
  if (!kinds.empty()) {
    sql += " AND t.kind IN (";
    for (size_t i = 0; i < kinds.size(); ++i) sql += (i ? ",?" : "?") + std::to_string(i + 4);
    sql += ")";
  }
  sql += " ORDER BY t.seq LIMIT ?3";
  SqliteStatement pick(*db_, sql);
  pick.Bind(1, worker_id).Bind(2, now).Bind(3, static_cast<int64_t>(count));
  for (size_t i = 0; i < kinds.size(); ++i) pick.Bind(static_cast<int>(i + 4), kinds[i]);
  pick.Bind(static_cast<int>(kinds.size() + 4), open_from_seq_);
  std::vector<std::tuple<std::string, int64_t, std::string>> picked;
  while (pick.Step()) picked.emplace_back(pick.Text(0), pick.Int(1), pick.Text(2));
  SqliteStatement lease(*db_,
                        "INSERT INTO assignments(task_id, worker_id, claim_key, state, leased_at,"
                        " deadline) VALUES(?,?,?,'leased',?,?)");
  for (const auto& [task_id, lease_ms, task_json] : picked) {
    lease.Reset();
    lease.Bind(1, task_id).Bind(2, worker_id).Bind(3, key).Bind(4, now).Bind(5, now + lease_ms);
    lease.Run();
    open_from_until_ = std::min(open_from_until_, now + lease_ms);
    out.push_back(
        NewLease(db_->LastInsertRowId(), task_id, worker_id, now, now + lease_ms, task_json));
  }
  return out;
}

void SqliteServerStore::AdvanceOpenFrom(int64_t now) {
  SqliteStatement version(*db_, "PRAGMA data_version");
  version.Step();
  // Another process committed (`manod revoke-lease`, an import...), a lease here ended early,
  // or the earliest live lease expired: a task before the mark may have room again.
  if (version.Int(0) != data_version_ || now >= open_from_until_) {
    data_version_ = version.Int(0);
    open_from_seq_ = 0;
    SqliteStatement first(*db_,
                          "SELECT MIN(deadline) FROM assignments WHERE state='leased' AND"
                          " deadline>?");
    first.Bind(1, now);
    first.Step();
    open_from_until_ = first.IsNull(0) ? INT64_MAX : first.Int(0);
  }
  // From the mark on to the first open task: each full task is passed once, not per claim.
  SqliteStatement next(*db_, std::string("SELECT t.seq FROM tasks t WHERE t.seq>=?1 AND"
                                         " t.withdrawn=0 AND ") +
                                 kTaskIsOpen + " ORDER BY t.seq LIMIT 1");
  next.Bind(1, open_from_seq_).Bind(2, now);
  if (next.Step()) {
    open_from_seq_ = next.Int(0);
    return;
  }
  SqliteStatement end(*db_, "SELECT coalesce(MAX(seq), 0) + 1 FROM tasks");
  end.Step();
  open_from_seq_ = end.Int(0);
}

std::optional<AssignmentRecord> SqliteServerStore::LoadAssignment(int64_t worker_id, int64_t id) {
  SqliteStatement s(*db_, std::string("SELECT ") + kAssignmentColumns +
                              " FROM assignments a JOIN tasks t ON t.id=a.task_id"
                              " WHERE a.id=? AND a.worker_id=?");
  s.Bind(1, id).Bind(2, worker_id);
  if (!s.Step()) return std::nullopt;
  return ReadAssignment(s);
}

std::optional<AssignmentRecord> SqliteServerStore::GetAssignment(int64_t worker_id, int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadAssignment(worker_id, id);
}

bool SqliteServerStore::WorkerMaySeeAsset(int64_t worker_id, const std::string& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_,
                    "SELECT 1 FROM task_assets ta JOIN assignments a ON a.task_id=ta.task_id"
                    " WHERE ta.hash=? AND a.worker_id=? LIMIT 1");
  s.Bind(1, hash).Bind(2, worker_id);
  return s.Step();
}

std::optional<std::string> SqliteServerStore::ReadAsset(const std::string& hash, int64_t offset,
                                                        int64_t max, int64_t* total,
                                                        std::string* type) {
  Reader reader(*this);
  SqliteStatement s(reader.db(),
                    "SELECT length(data), type, substr(data, ?2, ?3) FROM assets WHERE hash=?1");
  s.Bind(1, hash).Bind(2, offset + 1).Bind(3, max);
  if (!s.Step()) return std::nullopt;
  *total = s.Int(0);
  *type = s.Text(1);
  return s.Text(2);
}

ChangeOutcome SqliteServerStore::Anchor(int64_t worker_id, int64_t id, const std::string& hash,
                                        int64_t now, AssignmentRecord* after) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  auto a = LoadAssignment(worker_id, id);
  if (!a) return ChangeOutcome::kNotFound;
  if (a->state != "leased") return ChangeOutcome::kConflict;
  SqliteStatement(*db_, "INSERT INTO anchors(assignment_id, hash, t) VALUES(?,?,?)")
      .Bind(1, id)
      .Bind(2, hash)
      .Bind(3, now)
      .Run();
  // Renewal: a live lease is pushed to now + lease_ms when the task allows it. An anchor after
  // the deadline is still recorded (it is evidence) but renews nothing.
  SqliteStatement renew(*db_,
                        "UPDATE assignments SET deadline=?1 + (SELECT lease_ms FROM tasks WHERE"
                        " id=assignments.task_id) WHERE id=?2 AND deadline>?1 AND (SELECT"
                        " renew_on_anchor FROM tasks WHERE id=assignments.task_id)=1 AND"
                        " deadline < ?1 + (SELECT lease_ms FROM tasks WHERE"
                        " id=assignments.task_id)");
  renew.Bind(1, now).Bind(2, id).Run();
  *after = *LoadAssignment(worker_id, id);
  tx.Commit();
  return ChangeOutcome::kDone;
}

ChangeOutcome SqliteServerStore::Return(int64_t worker_id, int64_t id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  auto a = LoadAssignment(worker_id, id);
  if (!a) return ChangeOutcome::kNotFound;
  if (a->state == "returned") return ChangeOutcome::kDone;  // a replayed return
  if (a->state != "leased" || a->deadline <= now) return ChangeOutcome::kConflict;
  SqliteStatement(*db_, "UPDATE assignments SET state='returned' WHERE id=?").Bind(1, id).Run();
  tx.Commit();
  open_from_seq_ = 0;  // the task has room again
  return ChangeOutcome::kDone;
}

std::vector<EventRecord> SqliteServerStore::Events(int64_t worker_id, int64_t after_seq,
                                                   int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_,
                    "SELECT seq, type, assignment_id, reason, amount, currency, t FROM events"
                    " WHERE worker_id=? AND seq>? ORDER BY seq LIMIT ?");
  s.Bind(1, worker_id).Bind(2, after_seq).Bind(3, static_cast<int64_t>(limit));
  std::vector<EventRecord> out;
  while (s.Step()) {
    out.push_back({s.Int(0), s.Text(1), s.Int(2), s.Text(3), s.Int(4), s.Text(5), s.Int(6)});
  }
  return out;
}

WorkerMoney SqliteServerStore::Money(int64_t worker_id) {
  Reader reader(*this);  // beside the writer, like WorkerByTokenHash
  WorkerMoney money;
  SqliteStatement totals(reader.db(),
                         "SELECT currency, sum(CASE WHEN type='payment' THEN amount ELSE 0 END),"
                         " sum(CASE WHEN type='bonus' THEN amount ELSE 0 END) FROM events"
                         " WHERE worker_id=? AND amount<>0 GROUP BY currency ORDER BY currency");
  totals.Bind(1, worker_id);
  while (totals.Step()) money.totals.push_back({totals.Text(0), totals.Int(1), totals.Int(2)});
  SqliteStatement current(
      reader.db(),
      "SELECT coalesce((SELECT currency FROM events WHERE worker_id=?1 AND amount<>0"
      " ORDER BY seq DESC LIMIT 1), (SELECT t.currency FROM assignments a JOIN tasks t"
      " ON t.id=a.task_id WHERE a.worker_id=?1 ORDER BY a.id DESC LIMIT 1),"
      " (SELECT currency FROM tasks ORDER BY seq DESC LIMIT 1), 'USD')");
  current.Bind(1, worker_id);
  current.Step();
  money.currency = current.Text(0);
  return money;
}

void SqliteServerStore::AddEvent(int64_t worker_id, const std::string& type, int64_t assignment_id,
                                 const std::string& reason, int64_t amount, int64_t now) {
  SqliteStatement(*db_,
                  "INSERT INTO events(worker_id, type, assignment_id, reason, amount, currency, t)"
                  " VALUES(?1,?2,?3,?4,?5, CASE WHEN ?5<>0 THEN (SELECT t.currency FROM"
                  " assignments a JOIN tasks t ON t.id=a.task_id WHERE a.id=?3) ELSE '' END, ?6)")
      .Bind(1, worker_id)
      .Bind(2, type)
      .Bind(3, assignment_id)
      .Bind(4, reason)
      .Bind(5, amount)
      .Bind(6, now)
      .Run();
}

int64_t SqliteServerStore::WorkerOf(int64_t assignment_id) {
  SqliteStatement s(*db_, "SELECT worker_id FROM assignments WHERE id=?");
  s.Bind(1, assignment_id);
  return s.Step() ? s.Int(0) : -1;
}

std::vector<ChangeOutcome> SqliteServerStore::ReviewAll(
    const std::vector<ReviewDecision>& decisions, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  std::vector<ChangeOutcome> outcomes;
  bool all = true;
  for (const auto& d : decisions) {
    outcomes.push_back(ReviewLocked(d.id, d.approve, d.reason, now));
    all = all && outcomes.back() == ChangeOutcome::kDone;
  }
  if (all) tx.Commit();
  return outcomes;
}

ChangeOutcome SqliteServerStore::ReviewLocked(int64_t id, bool approve, const std::string& reason,
                                              int64_t now) {
  int64_t worker = WorkerOf(id);
  if (worker < 0) return ChangeOutcome::kNotFound;
  SqliteStatement s(*db_,
                    "SELECT t.reward FROM assignments a JOIN tasks t ON t.id=a.task_id"
                    " JOIN results r ON r.assignment_id=a.id WHERE a.id=? AND a.state='submitted'");
  s.Bind(1, id);
  if (!s.Step()) return ChangeOutcome::kConflict;
  int64_t reward = s.Int(0);
  SqliteStatement(*db_, "UPDATE assignments SET state=? WHERE id=?")
      .Bind(1, approve ? "approved" : "rejected")
      .Bind(2, id)
      .Run();
  AddEvent(worker, approve ? "approved" : "rejected", id, reason, 0, now);
  // Approval pays the task's reward: a payment event, so a ledger adds up payments alone.
  if (approve && reward > 0) AddEvent(worker, "payment", id, "", reward, now);
  return ChangeOutcome::kDone;
}

ChangeOutcome SqliteServerStore::Bonus(int64_t id, int64_t amount, const std::string& reason,
                                       int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  int64_t worker = WorkerOf(id);
  if (worker < 0) return ChangeOutcome::kNotFound;
  AddEvent(worker, "bonus", id, reason, amount, now);
  tx.Commit();
  return ChangeOutcome::kDone;
}

ChangeOutcome SqliteServerStore::RevokeLease(int64_t id, const std::string& reason, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  int64_t worker = WorkerOf(id);
  if (worker < 0) return ChangeOutcome::kNotFound;
  SqliteStatement(*db_, "UPDATE assignments SET state='revoked' WHERE id=? AND state='leased'")
      .Bind(1, id)
      .Run();
  if (db_->Changes() != 1) return ChangeOutcome::kConflict;
  AddEvent(worker, "revoked", id, reason, 0, now);
  tx.Commit();
  open_from_seq_ = 0;  // the task has room again
  return ChangeOutcome::kDone;
}

UploadOutcome SqliteServerStore::CreateUpload(int64_t worker_id, const std::string& id,
                                              int64_t length, int64_t now,
                                              const UploadQuota& quota) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  SqliteStatement open(*db_, std::string("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM uploads"
                                         " WHERE worker_id=? AND ") +
                                 kUploadIsOpen);
  open.Bind(1, worker_id);
  open.Step();
  if (quota.max_open > 0 && open.Int(0) >= quota.max_open) return UploadOutcome::kTooMany;
  if (quota.max_open_bytes > 0 && open.Int(1) + length > quota.max_open_bytes) {
    return UploadOutcome::kTooManyBytes;
  }
  SqliteStatement(*db_,
                  "INSERT INTO uploads(id, worker_id, length, offset, created) VALUES(?,?,?,0,?)")
      .Bind(1, id)
      .Bind(2, worker_id)
      .Bind(3, length)
      .Bind(4, now)
      .Run();
  tx.Commit();
  return UploadOutcome::kCreated;
}

int64_t SqliteServerStore::ExpireUploads(int64_t created_before) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  const std::string expired =
      std::string("SELECT id FROM uploads WHERE created<?1 AND ") + kUploadIsOpen;
  SqliteStatement(*db_, "DELETE FROM upload_chunks WHERE upload_id IN (" + expired + ")")
      .Bind(1, created_before)
      .Run();
  SqliteStatement(*db_, "DELETE FROM uploads WHERE id IN (" + expired + ")")
      .Bind(1, created_before)
      .Run();
  const int64_t gone = db_->Changes();
  tx.Commit();
  return gone;
}

std::optional<UploadRecord> SqliteServerStore::GetUpload(int64_t worker_id, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_,
                    "SELECT u.length, u.offset, r.key, r.hash FROM uploads u LEFT JOIN results r"
                    " ON r.upload_id=u.id AND r.worker_id=u.worker_id"
                    " WHERE u.id=? AND u.worker_id=?");
  s.Bind(1, id).Bind(2, worker_id);
  if (!s.Step()) return std::nullopt;
  UploadRecord u{id, s.Int(0), s.Int(1), std::nullopt, {}};
  if (!s.IsNull(2)) {
    u.attached_key = s.Text(2);
    u.attached_hash = s.Text(3);
  }
  return u;
}

ChangeOutcome SqliteServerStore::AppendUpload(int64_t worker_id, const std::string& id,
                                              int64_t offset, const std::string& bytes,
                                              int64_t* current) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  SqliteStatement s(*db_, "SELECT length, offset FROM uploads WHERE id=? AND worker_id=?");
  s.Bind(1, id).Bind(2, worker_id);
  if (!s.Step()) return ChangeOutcome::kNotFound;
  int64_t length = s.Int(0);
  *current = s.Int(1);
  if (offset != *current || offset + static_cast<int64_t>(bytes.size()) > length) {
    return ChangeOutcome::kConflict;
  }
  if (!bytes.empty()) {
    SqliteStatement(*db_, "INSERT INTO upload_chunks(upload_id, offset, data) VALUES(?,?,?)")
        .Bind(1, id)
        .Bind(2, offset)
        .BindBlob(3, bytes)
        .Run();
  }
  *current = offset + static_cast<int64_t>(bytes.size());
  SqliteStatement(*db_, "UPDATE uploads SET offset=? WHERE id=?")
      .Bind(1, *current)
      .Bind(2, id)
      .Run();
  tx.Commit();
  return ChangeOutcome::kDone;
}

ChangeOutcome SqliteServerStore::DeleteUpload(int64_t worker_id, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(*db_);
  SqliteStatement s(
      *db_, std::string("SELECT ") + kUploadIsOpen + " FROM uploads WHERE id=? AND worker_id=?");
  s.Bind(1, id).Bind(2, worker_id);
  if (!s.Step()) return ChangeOutcome::kNotFound;
  if (s.Int(0) == 0) return ChangeOutcome::kConflict;
  SqliteStatement(*db_, "DELETE FROM upload_chunks WHERE upload_id=?").Bind(1, id).Run();
  SqliteStatement(*db_, "DELETE FROM uploads WHERE id=?").Bind(1, id).Run();
  tx.Commit();
  return ChangeOutcome::kDone;
}

// An upload's chunks in one read transaction (one snapshot) on a reading connection of the
// pool: its state first, then its chunks in order, one row at a time (nothing is read before
// it is asked for).
class SqliteServerStore::ChunkReader : public UploadChunks {
 public:
  explicit ChunkReader(std::unique_ptr<Reader> reader)
      : UploadChunks(0), reader_(std::move(reader)) {
    reader_->db().Exec("BEGIN");
  }
  ~ChunkReader() override {
    rows_.reset();
    try {
      reader_->db().Exec("ROLLBACK");  // before the connection goes back to the pool
    } catch (const std::exception&) {
    }
  }
  // False when the worker has no such upload, or it is incomplete or serves a result.
  bool Open(int64_t worker_id, const std::string& id) {
    SqliteStatement u(reader_->db(),
                      "SELECT length, offset, EXISTS(SELECT 1 FROM results r WHERE"
                      " r.upload_id=u.id) FROM uploads u WHERE u.id=? AND u.worker_id=?");
    u.Bind(1, id).Bind(2, worker_id);
    if (!u.Step() || u.Int(0) != u.Int(1) || u.Int(2) != 0) return false;
    set_length(u.Int(0));
    rows_ = std::make_unique<SqliteStatement>(
        reader_->db(), "SELECT data FROM upload_chunks WHERE upload_id=? ORDER BY offset");
    rows_->Bind(1, id);
    return true;
  }

 protected:
  std::string_view Fetch() override {
    chunk_.clear();
    if (ended_ || !rows_->Step()) {
      ended_ = true;
      return {};
    }
    chunk_ = rows_->Text(0);
    return chunk_;
  }

 private:
  std::unique_ptr<Reader> reader_;
  std::unique_ptr<SqliteStatement> rows_;
  std::string chunk_;
  bool ended_ = false;
};

std::unique_ptr<UploadChunks> SqliteServerStore::OpenUpload(int64_t worker_id,
                                                            const std::string& id) {
  auto chunks = std::make_unique<ChunkReader>(std::make_unique<Reader>(*this));
  if (!chunks->Open(worker_id, id)) return nullptr;
  return chunks;
}

void SqliteServerStore::ForEachResult(const std::function<void(const ExportRow&)>& row) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, ExportRowsQuery("json_extract(t.task_json, '$.form.title')",
                                          "json_extract(t.task_json, '$.form.instructions')"));
  while (s.Step()) row(ReadExportRow(s));
}

}  // namespace mano::manod

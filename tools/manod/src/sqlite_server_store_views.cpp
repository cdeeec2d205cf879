// SqliteServerStore's operator views (operator_views.h): read-only queries for `manod status`
// and `manod assignments`, each in one read transaction (a WAL snapshot), so they can run
// beside a serving manod without taking its write lock.
#include <map>

#include "server_rows.h"
#include "sqlite_server_store.h"

namespace mano::manod {

namespace {

// Every assignment with its operator state: `expired` for a lease past its deadline (?1).
constexpr const char* kStates =
    "WITH s AS (SELECT x.id, x.task_id, x.worker_id, x.leased_at, x.deadline, x.submitted_at,"
    " CASE WHEN x.state='leased' AND x.deadline<=?1 THEN 'expired' ELSE x.state END AS st"
    " FROM assignments x) ";

// A deferred transaction: a consistent snapshot for several SELECTs, no write lock.
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteDb& db) : db_(db) { db_.Exec("BEGIN"); }
  ~ReadTransaction() {
    try {
      db_.Exec("COMMIT");
    } catch (...) {
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  SqliteDb& db_;
};

}  // namespace

std::vector<KindCounts> SqliteServerStore::CountByKind(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  ReadTransaction read(*db_);
  std::map<std::string, KindCounts> kinds;
  // Open: the same rule as Claim (live leases plus results below max_assignments).
  SqliteStatement tasks(
      *db_,
      "SELECT t.kind, COUNT(*), SUM(t.withdrawn=0 AND (SELECT COUNT(*) FROM assignments x"
      " WHERE x.task_id=t.id AND ((x.state='leased' AND x.deadline>?1) OR"
      " x.state IN ('submitted','approved','rejected'))) < t.max_assignments), SUM(t.withdrawn)"
      " FROM tasks t GROUP BY t.kind");
  tasks.Bind(1, now);
  while (tasks.Step()) {
    KindCounts& c = kinds[tasks.Text(0)];
    c.kind = tasks.Text(0);
    c.tasks = tasks.Int(1);
    c.open = tasks.Int(2);
    c.withdrawn = tasks.Int(3);
  }
  SqliteStatement states(*db_, std::string(kStates) +
                                   "SELECT t.kind, s.st, COUNT(*) FROM s JOIN tasks t ON"
                                   " t.id=s.task_id GROUP BY t.kind, s.st");
  states.Bind(1, now);
  while (states.Step()) {
    KindCounts& c = kinds[states.Text(0)];
    const std::string state = states.Text(1);
    const int64_t n = states.Int(2);
    c.Add(state, n);
    if (state == "returned") c.returned += n;
    if (state == "revoked" || state == "withdrawn") c.revoked += n;
  }
  std::vector<KindCounts> out;
  for (auto& [kind, counts] : kinds) out.push_back(std::move(counts));
  return out;
}

std::vector<WorkerCounts> SqliteServerStore::CountByWorker(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, std::string(kStates) +
                              "SELECT w.name, w.revoked, s.st, COUNT(s.id) FROM workers w"
                              " LEFT JOIN s ON s.worker_id=w.id GROUP BY w.id, s.st"
                              " ORDER BY w.name");
  s.Bind(1, now);
  std::vector<WorkerCounts> out;
  while (s.Step()) {
    if (out.empty() || out.back().name != s.Text(0)) {
      out.emplace_back();
      out.back().name = s.Text(0);
      out.back().revoked = s.Int(1) != 0;
    }
    if (!s.IsNull(2)) out.back().Add(s.Text(2), s.Int(3));
  }
  return out;
}

std::vector<AssignmentView> SqliteServerStore::ListAssignments(const std::string& worker,
                                                               int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(*db_, std::string(kStates) +
                              "SELECT s.id, s.task_id, t.kind, w.name, s.st, s.leased_at,"
                              " s.deadline, s.submitted_at FROM s JOIN tasks t ON t.id=s.task_id"
                              " JOIN workers w ON w.id=s.worker_id WHERE ?2='' OR w.name=?2"
                              " ORDER BY s.id");
  s.Bind(1, now).Bind(2, worker);
  std::vector<AssignmentView> out;
  while (s.Step()) out.push_back(ReadAssignmentView(s));
  return out;
}

}  // namespace mano::manod

// SqliteServerStore: the ServerStore that ships, on one SQLite file (WAL, synchronous=FULL).
// One connection guarded by a mutex: SQLite allows one writer anyway, and reads are short.
// Assets and upload chunks are kept in the same file, so a backup is one `sqlite3 .backup`.
// Reading those blobs (megabytes: ReadAsset, OpenUpload) goes through a pool of connections
// used only for reading instead, so it never takes the mutex: WAL lets them read beside the
// writer, each in a snapshot of its own; so do the per-request token lookup and GET /v1/me's
// totals, which must stay fast while the writer waits for a disk flush.
//
// Group commit (sqlite_server_store_submit.cpp): SubmitBatch and Claim calls queue up; one
// caller at a time leads, taking every queued call into one transaction (a savepoint each, so
// one that fails is rolled back alone) and one fsync, then wakes their callers. A batch's
// receipts (a claim's leases) go out only after that commit returned.
// Where the operations live: sqlite_server_store.cpp; the import batch in
// sqlite_server_store_import.cpp, SubmitBatch (group commit) in sqlite_server_store_submit.cpp,
// operator views in sqlite_server_store_views.cpp.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server_store.h"
#include "sqlite_db.h"

namespace mano::manod {

class SqliteServerStore : public ServerStore {
 public:
  // Opens the database. With `create`, creates it (file mode 0600) and its schema; without,
  // a missing file throws std::runtime_error ("run manod init first").
  SqliteServerStore(const std::string& path, bool create);

  // The operations of ServerStore, overridden: server_store_ops.h.
#define MANO_STORE_OP(Result, Name, Params) Result Name Params override;
#include "server_store_ops.h"
#undef MANO_STORE_OP

  // Tests only (`manod serve --test-hold-file`): while a file exists at `path`, a group of
  // submits that has written its rows waits before its COMMIT, after creating `path`.held, so
  // a test can SIGKILL the server inside the transaction.
  void TEST_HoldBeforeCommit(const std::string& path) { hold_file_ = path; }
  // Tests only: how many calls wait for the next group.
  size_t TEST_Queued() {
    std::lock_guard<std::mutex> lock(queue_mu_);
    return queue_.size();
  }

 private:
  struct GroupJob;
  struct SubmitStatements;
  // Queues `run` for the next group's transaction (under a savepoint of its own) and returns
  // once that transaction committed; rethrows what `run` threw (its writes undone) or what
  // the commit threw (the whole group undone).
  void RunInGroup(const std::function<void()>& run);
  // Runs the queued jobs in one transaction (the caller leads; holds mu_ inside).
  void CommitGroup(const std::vector<GroupJob*>& group);
  void RunSubmits(const std::vector<SubmitAttempt>& attempts,
                  const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide);
  std::vector<AssignmentRecord> ClaimInGroup(int64_t worker_id, const std::string& key, int count,
                                             const std::vector<std::string>& kinds, int64_t now);
  std::optional<AssignmentRecord> LoadAssignment(int64_t worker_id, int64_t id);
  // Moves open_from_seq_ to the first task with room (in Claim's transaction).
  void AdvanceOpenFrom(int64_t now);
  // Adds columns newer than the database (each only when missing), so older files keep working.
  void Migrate();
  // `amount` is in the currency of the assignment's task.
  void AddEvent(int64_t worker_id, const std::string& type, int64_t assignment_id,
                const std::string& reason, int64_t amount, int64_t now);
  int64_t WorkerOf(int64_t assignment_id);
  // One review inside ReviewAll's transaction, under mu_.
  ChangeOutcome ReviewLocked(int64_t id, bool approve, const std::string& reason, int64_t now);

  // A connection of the read pool, given back on destruction.
  class Reader;
  class ChunkReader;

  std::string path_;
  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteDb>> readers_;  // idle ones
  // The submit queue: batches waiting for the next group, and whether a caller leads one.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<GroupJob*> queue_;
  bool leading_ = false;
  std::shared_ptr<SubmitStatements> group_statements_;  // prepared on a group's first submit
  std::string hold_file_;
  // Claims scan tasks from open_from_seq_ on: every task before it was full or withdrawn when
  // it was set, and stays so until open_from_until_ (the earliest live lease's deadline), a
  // lease ended here early (Return, RevokeLease), or another process committed (a new
  // data_version): then the mark goes back to 0. Guarded by mu_.
  int64_t open_from_seq_ = 0;
  int64_t open_from_until_ = 0;
  int64_t data_version_ = -1;
};

}  // namespace mano::manod

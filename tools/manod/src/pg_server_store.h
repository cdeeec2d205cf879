// PgServerStore: the ServerStore on PostgreSQL (libpq), for operators who outgrow one SQLite
// file: several manod processes, on one host or several, serve one database at once.
//
// How the processes stay out of each other's way (each method is still one transaction):
// - Claims lock the tasks they lease with SELECT ... FOR UPDATE SKIP LOCKED, so two claims
//   never wait for each other and never lease the same task, then re-check each locked task
//   in a fresh snapshot, so no task is ever leased more than its `assignments` times.
// - Idempotency keys (claims, receipts) are unique constraints; a transaction that loses a
//   race on one (or a serialization failure, or a deadlock) runs again from the start and
//   then finds the winner's row, so a replay gets the stored answer.
// - Submit, anchor, return and review lock the assignment's row first.
// - Events are numbered in commit order (an advisory lock around their insert), so a client
//   paging by `after` never skips one committed late.
// - The receipt key is a row of `meta`, shared by every process.
// Assets and upload bytes are kept in 1 MiB chunks (bytea rows), so reading a range touches
// only the chunks it needs.
//
// Schema: versioned migrations (schema_migrations), applied under an advisory lock by the
// first process that opens the database after an upgrade.
// Errors: PgError (a std::runtime_error) for failures. Thread safety: every method may be
// called from any thread; each call takes a connection of its own from a pool.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pg_db.h"
#include "server_store.h"

namespace mano::manod {

class PgServerStore : public ServerStore {
 public:
  // Connects to `url` (postgresql://...). With `create`, creates the schema (the database
  // itself must exist); without, a database that has no manod schema throws ("run manod init
  // first"). Either way, applies migrations newer than the database.
  PgServerStore(const std::string& url, bool create);

  // True when the database holds a manod schema already.
  static bool HasSchema(const std::string& url);

  std::optional<std::string> GetMeta(const std::string& key) override;
  void SetMeta(const std::string& key, const std::string& value) override;
  bool AddWorker(const std::string& name, const std::string& token_hash, int64_t now) override;
  bool RevokeWorker(const std::string& name) override;
  bool ReplaceWorkerToken(const std::string& name, const std::string& token_hash) override;
  std::optional<WorkerRecord> WorkerByTokenHash(const std::string& token_hash) override;
  // The import batch and the schema: pg_server_store_import.cpp.
  std::unique_ptr<ImportBatch> BeginImport(int64_t now) override;
  bool WithdrawTask(const std::string& task_id, int64_t now) override;
  std::vector<AssignmentRecord> Claim(int64_t worker_id, const std::string& key, int count,
                                      const std::vector<std::string>& kinds, int64_t now) override;
  std::optional<AssignmentRecord> GetAssignment(int64_t worker_id, int64_t id) override;
  bool WorkerMaySeeAsset(int64_t worker_id, const std::string& hash) override;
  std::optional<std::string> ReadAsset(const std::string& hash, int64_t offset, int64_t max,
                                       int64_t* total, std::string* type) override;
  ChangeOutcome Anchor(int64_t worker_id, int64_t id, const std::string& hash, int64_t now,
                       AssignmentRecord* after) override;
  ChangeOutcome Return(int64_t worker_id, int64_t id, int64_t now) override;
  void SubmitBatch(
      const std::vector<SubmitAttempt>& attempts,
      const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide) override;
  std::vector<EventRecord> Events(int64_t worker_id, int64_t after_seq, int limit) override;
  WorkerMoney Money(int64_t worker_id) override;
  std::vector<ChangeOutcome> ReviewAll(const std::vector<ReviewDecision>& decisions,
                                       int64_t now) override;
  ChangeOutcome Bonus(int64_t id, int64_t amount, const std::string& reason, int64_t now) override;
  ChangeOutcome RevokeLease(int64_t id, const std::string& reason, int64_t now) override;
  // Uploads and operator views: pg_server_store_views.cpp.
  UploadOutcome CreateUpload(int64_t worker_id, const std::string& id, int64_t length, int64_t now,
                             const UploadQuota& quota) override;
  int64_t ExpireUploads(int64_t created_before) override;
  std::optional<UploadRecord> GetUpload(int64_t worker_id, const std::string& id) override;
  ChangeOutcome AppendUpload(int64_t worker_id, const std::string& id, int64_t offset,
                             const std::string& bytes, int64_t* current) override;
  ChangeOutcome DeleteUpload(int64_t worker_id, const std::string& id) override;
  std::unique_ptr<UploadChunks> OpenUpload(int64_t worker_id, const std::string& id) override;
  void ForEachResult(const std::function<void(const ExportRow&)>& row) override;
  std::vector<KindCounts> CountByKind(int64_t now) override;
  std::vector<WorkerCounts> CountByWorker(int64_t now) override;
  std::vector<AssignmentView> ListAssignments(const std::string& worker, int64_t now) override;

  // The bytes of one chunk of an asset or an upload.
  static constexpr size_t kChunkBytes = 1 << 20;

 private:
  // Runs `body(conn, tx)` in a transaction on a connection of the pool, again from the start
  // when it lost a race to a concurrent transaction (PgError::Retryable), up to a bound.
  template <class F>
  auto InTransaction(F&& body) {
    for (int attempt = 1;; ++attempt) {
      auto conn = pool_.Acquire();
      try {
        PgTransaction tx(*conn);
        return body(*conn, tx);
      } catch (const PgError& e) {
        if (!e.Retryable() || attempt >= kMaxAttempts) throw;
      }
    }
  }
  static constexpr int kMaxAttempts = 20;

  void Migrate(bool create);
  // `amount` is in the currency of the assignment's task. Takes the events lock.
  // One result of a SubmitBatch inside its transaction: locks the assignment's row, reads the
  // facts, stores what `decide` chose.
  static void SubmitOne(PgConnection& conn, const SubmitAttempt& at, size_t index,
                        const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide);
  // One review inside ReviewAll's transaction.
  static ChangeOutcome ReviewIn(PgConnection& conn, int64_t id, bool approve,
                                const std::string& reason, int64_t now);
  static void AddEvent(PgConnection& conn, int64_t worker_id, const std::string& type,
                       int64_t assignment_id, const std::string& reason, int64_t amount,
                       int64_t now);
  // A lease of `task_id` ended early (returned, revoked): one less in the task's `taken` hint.
  static void Untake(PgConnection& conn, const std::string& task_id);
  // The worker's assignment, its row locked when `lock` (for the transaction's rest).
  static std::optional<AssignmentRecord> LoadAssignment(PgConnection& conn, int64_t worker_id,
                                                        int64_t id, bool lock);

  PgPool pool_;
};

// A PostgreSQL array literal ({"a","b"}) of `items`, for a text[] parameter.
std::string PgTextArray(const std::vector<std::string>& items);

}  // namespace mano::manod

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
// Where the operations live: pg_server_store.cpp; the import batch and the schema in
// pg_server_store_import.cpp; uploads, the export and operator views in
// pg_server_store_views.cpp.
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

  // The operations of ServerStore, overridden: server_store_ops.h.
#define MANO_STORE_OP(Result, Name, Params) Result Name Params override;
#include "server_store_ops.h"
#undef MANO_STORE_OP

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

// ServerStore: everything manod keeps, behind an interface narrow enough for a second backend
// (PostgreSQL) without touching the HTTP layer. SqliteServerStore is the one that ships.
//
// The store speaks plain records; JSON documents (forms, answers, receipts) are opaque text
// to it. Every method is one transaction: it either happens completely or not at all, which is
// what lets a submit request survive SIGKILL whole or not at all. Where a decision needs facts
// read in the same transaction (submit), the caller passes a function that the store calls
// inside the transaction; that function must not touch the store.
//
// Errors: unexpected failures (disk, corruption) throw std::runtime_error (storage::StoreError for
// the SQLite backend); expected outcomes (not found, mismatch) are return values. Thread safety:
// every method may be called from any thread concurrently.
//
// The operations are listed once, with their contracts, in server_store_ops.h, which this
// interface and both backends expand (pure virtual here, override there).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "operator_views.h"
#include "upload_chunks.h"

namespace mano::manod {

struct WorkerRecord {
  int64_t id = 0;
  std::string name;
  bool revoked = false;
};

// A task as imported. `task_json` is the task in the project's own JSONL format (form, show,
// assets, reward, policy...) and is what a claim hands out; the other fields are copies the
// store needs to select and lease.
struct TaskRecord {
  std::string id;
  std::string kind;
  std::string task_json;
  std::string input_json = "{}";  // the MTurk-style input variables, for Input.* on export
  int64_t max_assignments = 1;
  int64_t lease_ms = 3600000;
  bool renew_on_anchor = false;
  int64_t reward = 0;            // micro-units, paid on approval (a `payment` event)
  std::string currency = "USD";  // of reward, and of every payment and bonus on the task
  std::vector<std::string> asset_hashes;
};

struct AssignmentRecord {
  int64_t id = 0;
  std::string task_id;
  int64_t worker_id = 0;
  std::string state;  // leased | submitted | returned | approved | rejected | revoked | withdrawn
  int64_t leased_at = 0;
  int64_t deadline = 0;
  std::string task_json;
};

// What a submit needs to decide, read inside the submit's transaction.
struct SubmitFacts {
  std::optional<std::string> stored_receipt;       // receipt JSON already recorded for this key
  std::optional<std::string> stored_hash;          // answer hash recorded with that receipt
  std::optional<AssignmentRecord> assignment;      // absent when not this worker's
  bool assignment_has_result = false;              // an accepted result already exists
  std::optional<int64_t> first_anchor_t;           // earliest anchor time, if any
  std::optional<std::string> upload_attached_key;  // the attempt's upload is another result's
};

// The decision returned by the caller's function.
struct SubmitDecision {
  std::string receipt_json;     // with record_receipt: the receipt to keep (unsigned)
  bool record_receipt = false;  // keep it under the key so a replay gets it again
  bool store_result = false;    // the result counts (accepted or late_accepted)
  std::string status;           // receipt status, kept with the result
};

struct SubmitAttempt {
  int64_t worker_id = 0;
  std::string key;
  int64_t assignment_id = 0;
  std::string answer_json;
  std::string hash;
  std::string upload_id;
  int64_t now = 0;
};

struct EventRecord {
  int64_t seq = 0;
  std::string type;  // approved | rejected | payment | bonus | revoked | withdrawn
  int64_t assignment_id = 0;
  std::string reason;
  int64_t amount = 0;
  std::string currency;  // with amount: the currency of the assignment's task
  int64_t t = 0;
};

// A worker's money in one currency (never added across currencies), for GET /v1/me.
struct CurrencyTotal {
  std::string currency;
  int64_t paid = 0;   // payment events
  int64_t bonus = 0;  // bonus events
};

struct WorkerMoney {
  // The currency of the worker's latest payment or bonus; before any, of the task last leased
  // to the worker; before any, of the task last imported; USD on a server without tasks.
  std::string currency;
  std::vector<CurrencyTotal> totals;  // by currency code
};

struct UploadRecord {
  std::string id;
  int64_t length = 0;
  int64_t offset = 0;
  // Set once a stored result names the upload: that result's key and answer hash. The
  // upload's bytes are gone then (the answer lives with the result); the record stays.
  std::optional<std::string> attached_key;
  std::string attached_hash;
};

// Per worker, over the uploads no result names yet (open ones, complete or not); 0 = none.
struct UploadQuota {
  int64_t max_open = 0;
  int64_t max_open_bytes = 0;  // the sum of their declared lengths
};

enum class UploadOutcome { kCreated, kTooMany, kTooManyBytes };

// One accepted result joined with its task and worker, for export.
struct ExportRow {
  int64_t assignment_id = 0;
  std::string task_id;
  std::string kind;
  std::string worker;
  std::string answer_json;
  std::string input_json;
  std::string state;   // assignment state: submitted | approved | rejected
  std::string status;  // accepted | late_accepted
  int64_t leased_at = 0;
  int64_t submitted_at = 0;
  int64_t deadline = 0;
  // For MTurk's batch-results columns: the task's form title and instructions, reward and
  // currency, assignments, lease, import time, and the review (0 and "" before one).
  std::string title, description;
  int64_t reward = 0;
  std::string currency;
  int64_t max_assignments = 0;
  int64_t lease_ms = 0;
  int64_t task_created = 0;
  int64_t reviewed_at = 0;
  std::string review_reason;
};

enum class ChangeOutcome { kDone, kNotFound, kConflict };

// Reads the next bytes of an asset into `buf` (at most `max`): how many, 0 at its end. Throws
// std::runtime_error when the source fails.
using AssetReader = std::function<size_t(char* buf, size_t max)>;

// One import, all or nothing: nothing is visible to other readers until Commit(), and the
// destructor rolls back unless Commit() ran. While a batch lives it holds the store (other
// calls wait), so an importer does its slow checking before BeginImport. Methods throw on
// storage failures (disk full, a blob over the backend's size limit); the batch is then only
// good for destruction.
class ImportBatch {
 public:
  virtual ~ImportBatch() = default;
  // Stores an asset of `size` bytes copied from `read` in pieces (never whole in memory);
  // when an asset with `hash` is stored already, `read` is not called. Throws when `read`
  // yields more or fewer than `size` bytes.
  virtual void PutAsset(const std::string& hash, const std::string& type, int64_t size,
                        const AssetReader& read) = 0;
  // False when a task with this id exists already (it is left as it was).
  virtual bool PutTask(const TaskRecord& task) = 0;
  // True when the stored task with `task.id` has the same kind, task_json and input_json (a
  // re-import of the same task), false when it differs or is absent.
  virtual bool SameTaskStored(const TaskRecord& task) = 0;
  virtual void Commit() = 0;
};

class ServerStore {
 public:
  virtual ~ServerStore() = default;

  // One decision of ReviewAll.
  struct ReviewDecision {
    int64_t id = 0;
    bool approve = false;
    std::string reason;
  };

  // The operations, each with its contract: server_store_ops.h.
#define MANO_STORE_OP(Result, Name, Params) virtual Result Name Params = 0;
#include "server_store_ops.h"
#undef MANO_STORE_OP

  // One review: a ReviewAll of one, whatever the backend.
  ChangeOutcome Review(int64_t id, bool approve, const std::string& reason, int64_t now) {
    return ReviewAll({{id, approve, reason}}, now).front();
  }
};

}  // namespace mano::manod

// Store: the durable local state of one mano data directory (one SQLite file).
//
// Contract: every method that changes state runs in one transaction and returns only
// after COMMIT with WAL + synchronous=FULL, i.e. once the change is durable on disk.
// Errors: every method throws StoreError (store_error.h) on failure; the transaction is
// rolled back, earlier durable data (e.g. the last checkpoint) is untouched, and the Store
// stays usable so the caller can retry later. Reading a missing row returns std::nullopt;
// changing a missing row throws StoreError(kNotFound).
// Thread safety: a Store is not thread-safe; use it from one thread at a time (or open
// one Store per thread on the same file: WAL allows readers beside one writer).
// Several processes may open the same file; writers wait up to a busy timeout.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/storage/clock.h"
#include "mano/storage/records.h"
#include "mano/storage/store_error.h"

namespace mano::storage {

struct OpenOptions {
  std::shared_ptr<Clock> clock;  // null: DefaultClock() (the system clock)
  int checkpoint_keep = 10;      // versions kept per draft (>= 2 so Undo has something)
  int busy_timeout_ms = 5000;
  // Test hook: name of a registered sqlite3_vfs to open the file with (fault injection).
  std::string TEST_vfs;
  // Open an existing file only to read it, e.g. when the disk is full and a normal open
  // fails (StoreError kFull): nothing is created, checked, migrated or written. In WAL mode
  // even reading needs the -shm file to grow; when it cannot, the file is read as immutable
  // (OpenReport::immutable: what a crashed session left in the WAL is not seen). Every
  // write throws kReadOnly. An older schema throws kReadOnly (it would need a migration).
  bool read_only = false;
};

class Store {
 public:
  static constexpr int kSchemaVersion = 5;
  static constexpr const char* kFileName = "mano.db";
  static constexpr const char* kEventsCursor = "events";

  // Opens (creating if needed) <data_dir>/mano.db; the folder is made 0700, the file 0600.
  // Runs quick_check (unless another Store of this process holds the file open: it was
  // checked then; see OpenReport::quick_checked); a damaged file is renamed to <file>.damaged-<UTC
  // time> (never deleted), every readable row is copied into a fresh file and
  // report().recovered_from says so. A file with a newer user_version throws kNewerSchema and is
  // not modified.
  static Store Open(const std::string& data_dir, OpenOptions options = {});
  // Same, for an explicit database file path. A missing folder is created 0700; an
  // existing folder is left as it is. ":memory:" gives a private in-memory store (no
  // durability, no files: for unit tests of code built on the store).
  static Store OpenFile(const std::string& path, OpenOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const OpenReport& report() const;
  const std::string& path() const;      // database file
  const std::string& data_dir() const;  // its folder
  Clock& clock();

  // ---- Accounts (account.cpp) ----
  void AddAccount(const Account& account);     // kConstraint if the name exists
  void UpdateAccount(const Account& account);  // kNotFound if missing
  std::optional<Account> GetAccount(const std::string& name);
  std::vector<Account> ListAccounts();  // by name

  // ---- Assignments (assignments.cpp) ----
  // Inserts, or updates the task fields of the row with the same (account, server_id);
  // an update keeps id and state (use SetState). A new row journals its state.
  // Returns the local id. kNotFound if the account does not exist.
  int64_t UpsertAssignment(const Assignment& assignment);
  std::optional<Assignment> GetAssignment(int64_t id);
  std::optional<Assignment> FindAssignment(const std::string& account,
                                           const std::string& server_id);
  std::vector<Assignment> ListAssignments(const AssignmentFilter& filter = {});  // by id
  // The lean listing for screens: the rows in ONE SQL query (no payload reaches memory: the
  // title is read inside SQLite), time left from each account's ServerNow, by id or in
  // queue order, paged with offset/limit; a page that may not hold every row adds one
  // count(*) for the total. Cost grows with the number of matching rows (scanned and, for
  // kQueue, sorted: about 15 ms of CPU at 10,000), not with their payloads.
  ListingPage ListAssignmentSummaries(const ListingQuery& query = {});
  // The same rows handed to `row` one at a time as SQLite reads them (nothing is collected,
  // no total is counted: cheapest for printing everything). Returns how many rows there were.
  // `row` must not use this Store.
  int64_t ForEachAssignmentSummary(const ListingQuery& query,
                                   const std::function<void(const AssignmentSummary&)>& row);
  // Changes the state and appends a "state" journal entry in the same transaction
  // ({"from","to","reason"}). `given_reason` (the server's or requester's words, shown to
  // the worker) becomes the assignment's state_reason. No-op (no journal entry) if the state
  // is already `state`.
  void SetState(int64_t id, AssignmentState state, std::string_view reason,
                std::string_view given_reason = {});

  // ---- Drafts and checkpoints (checkpoints.cpp) ----
  // Saves a new version unless `content` equals the latest version's content (then nothing
  // is written, written=false, and the latest version and hash are returned). Keeps the last
  // checkpoint_keep versions. Returns only once durable.
  SaveResult SaveCheckpoint(int64_t assignment_id, std::string_view content,
                            std::string_view ui_position);
  // Compare-and-set: saves only on top of `expected_version` (the version the writer last
  // read; 0 = no draft yet), so two windows never overwrite each other. If the latest is
  // another version and holds other content, conflict=true and version = the latest:
  // kRefuse writes nothing; kKeepAside writes the rejected content as latest + 1 and a copy
  // of the latest as latest + 2 (returned as version), in one transaction, so the other
  // writer's content stays current and one Undo brings the rejected edit back. Identical
  // content is no conflict (nothing written, the latest returned).
  SaveResult SaveCheckpoint(int64_t assignment_id, std::string_view content,
                            std::string_view ui_position, int64_t expected_version,
                            OnConflict on_conflict);
  std::optional<Checkpoint> LatestCheckpoint(int64_t assignment_id);
  std::vector<Checkpoint> CheckpointHistory(int64_t assignment_id);  // newest first
  // Undo: copies the version before the current one into a NEW latest version (history
  // is never rewritten) and returns it. Repeated Undo walks further back: a restored
  // version remembers where it came from. Returns nullopt when there is nothing older.
  std::optional<Checkpoint> UndoCheckpoint(int64_t assignment_id);

  // ---- Outbox, receipts, large uploads (outbox.cpp) ----
  // Queues a result and moves the assignment to kQueued in the same transaction.
  // Idempotent on idempotency_key: enqueuing the same key again returns the existing id.
  int64_t EnqueueResult(int64_t assignment_id, std::string_view idempotency_key,
                        std::string_view body, std::string_view content_hash);
  // Items still to upload (kPending or kSending: a send cut short must be retried with the
  // same key), oldest first.
  std::vector<OutboxItem> PendingResults(const std::string& account, int limit = 100);
  std::vector<OutboxItem> ListOutbox(const std::string& account);  // not acknowledged
  std::optional<OutboxItem> TEST_GetOutboxItem(int64_t outbox_id);
  // attempts + 1. Compare-and-set: only an item still waiting (pending or sending) becomes
  // sending; returns false when it is no longer there (taken back by TakeBackResult), and the
  // caller must not send it.
  bool MarkSending(int64_t outbox_id);
  // The same for a whole batch in ONE transaction: returns the ids marked, in order (those
  // taken back meanwhile are left out).
  std::vector<int64_t> MarkSending(const std::vector<int64_t>& outbox_ids);
  // Compare-and-set back from sending to pending, for an attempt that never reached the
  // server (connection refused, no route): the result may be taken back again. Only for an
  // item that was pending before that attempt: an earlier attempt may have delivered it.
  // Returns false when the item is not sending.
  bool MarkUnsent(int64_t outbox_id);
  // Large uploads (tus): where the upload lives and how much the server confirmed.
  void SetUploadState(int64_t outbox_id, std::string_view upload_url, int64_t offset);
  // In ONE transaction: stores each receipt, marks its outbox item acknowledged and moves
  // its assignment to the receipt's `outcome` (state_reason: its `reason`). Receipts for unknown
  // keys (or already applied) are skipped. Returns how many were newly applied.
  int ApplyReceipts(const std::string& account, const std::vector<Receipt>& receipts);
  // The same for receipts signed together: `batch` is stored in the same transaction (when
  // at least one receipt is newly applied) and those receipts refer to it.
  int ApplyReceipts(const std::string& account, const std::vector<Receipt>& receipts,
                    const ReceiptBatch& batch);
  // Takes the assignment's result back out of the outbox, in one transaction, only if it is
  // still pending (no byte of it sent): the item is deleted and the assignment goes from
  // kQueued to kInProgress (journaled); the draft's checkpoints are untouched. An item that
  // is sending or acknowledged stays (kOnTheWire); kNotQueued: no result was queued.
  // Compare-and-set on the outbox state with MarkSending, so a sync in another thread or process
  // either sends it or never sees it.
  TakeBack TakeBackResult(int64_t assignment_id);
  // For a queued result that can never be sent (its answer is larger than any server takes):
  // in one transaction the outbox item is deleted, pending or sending alike (no server can
  // have accepted it), and the assignment goes from kQueued back to kInProgress (journaled)
  // with `given_reason` as its state_reason; the draft's checkpoints are untouched. Returns
  // false when the item is no longer waiting (taken back, or acknowledged).
  bool ReturnToDraft(int64_t outbox_id, std::string_view given_reason);
  std::optional<Receipt> GetReceipt(int64_t assignment_id);
  std::optional<ReceiptBatch> GetReceiptBatch(int64_t batch_id);
  OutboxTotals OutboxStats(const std::string& account);

  // ---- Anchors (outbox.cpp) ----
  // Records that the server saw checkpoint `checkpoint_hash` at server_time_ms; a
  // new_deadline_ms > 0 also becomes the assignment's deadline_server_ms.
  void RecordAnchor(int64_t assignment_id, std::string_view checkpoint_hash, int64_t server_time_ms,
                    int64_t new_deadline_ms);
  std::vector<Anchor> ListAnchors(int64_t assignment_id);  // oldest first

  // ---- Events and cursors (events.cpp) ----
  // Stores events (idempotent on (account, seq)) and sets cursor kEventsCursor to
  // new_cursor, in one transaction. Returns how many events were new.
  int ApplyEvents(const std::string& account, const std::vector<Event>& events,
                  std::string_view new_cursor);
  std::vector<Event> ListEvents(const std::string& account, int64_t after_seq = 0,
                                int limit = 1000);
  // Calls `fn` with each of the account's events in seq order, reading a page at a time.
  void ForEachEvent(const std::string& account, const std::function<void(Event&)>& fn);
  std::optional<std::string> GetCursor(const std::string& account, const std::string& name);
  void SetCursor(const std::string& account, const std::string& name, std::string_view value);

  // ---- Journal (journal.cpp) ----
  // Append-only and hash-chained: hash = sha256(prev_hash || canonical fields). The head
  // (last seq and hash) is also kept in a separate meta row so deleting the tail shows.
  int64_t AppendJournal(const std::string& account, std::optional<int64_t> assignment_id,
                        std::string_view type, std::string_view payload);
  std::vector<JournalEntry> ListJournal(int64_t after_seq = 0, int limit = 1000);
  // Calls `fn` with each journal entry in seq order, reading a page at a time; `fn` may
  // move the entry away.
  void ForEachJournalEntry(const std::function<void(JournalEntry&)>& fn);
  // Test hook: appends the "active_time" journal entry mano wrote before work time became
  // focus marks (the ledger still reads those of old journals).
  void TEST_AddLegacyActiveTime(const std::string& account, std::optional<int64_t> assignment_id,
                                int64_t ms, bool paid);
  // Detects changed, reordered, inserted and deleted entries (tail included, via the head row).
  JournalCheck VerifyJournal();

  // ---- Clock (clock_state.cpp) ----
  // Stores offset = server - local and the newest local time seen.
  void RecordServerContact(const std::string& account, int64_t server_time_ms);
  // Best estimate of the server's clock now: carried by the monotonic clock since the last
  // contact in this process; otherwise local + offset, never earlier than the newest server
  // time seen. nullopt if the account never had contact.
  std::optional<int64_t> ServerNow(const std::string& account);
  std::optional<int64_t> TEST_ClockOffsetMs(const std::string& account);
  // True when local now is earlier than the newest local time already recorded.
  bool TEST_ClockJumpedBack();

  // ---- Sync state and data usage (sync_state.cpp) ----
  SyncState GetSyncState(const std::string& account);  // zeros if never stored
  // Stores the timing fields; never changes pending_claim_key (see BeginClaim).
  void PutSyncState(const std::string& account, const SyncState& state);
  // A claim's idempotency key, durable before the request goes out. Atomically: returns the
  // key already pending for `account` (a claim whose reply was lost, by this or another
  // process) or stores and returns `fresh_key`. Two processes claiming at once share a key,
  // so the server answers both with the same assignments.
  std::string BeginClaim(const std::string& account, const std::string& fresh_key);
  // Clears the pending key once its reply is stored, only if it is still `key`; false if
  // another claim's key is pending (it stays, to be retried).
  bool EndClaim(const std::string& account, const std::string& key);
  // A claim's reply, stored whole: upserts every assignment (all of `account`; see
  // UpsertAssignment) and clears the pending claim key if it is still `key` (see EndClaim),
  // in ONE transaction and one fsync. If anything fails, nothing of the claim is stored and
  // the key stays pending, so the next claim replays it and the server answers with the same
  // assignments. Returns the local ids, in order. kNotFound if the account does not exist.
  std::vector<int64_t> StoreClaim(const std::string& account, const std::string& key,
                                  const std::vector<Assignment>& assignments);
  // day: "YYYY-MM-DD" (caller's choice of time zone; compare as text).
  void AddBytes(const std::string& account, std::string_view day, Direction direction, int64_t n);
  // Inclusive day range; empty account = all accounts.
  ByteCounts BytesUsed(const std::string& account, std::string_view first_day,
                       std::string_view last_day);

  // ---- Assets (sync_state.cpp) ----
  // Records an expected asset; its file is <data_dir>/assets/<hash> (the folder is made
  // 0700 here; the engine writes the file).
  Asset RecordAsset(const std::string& hash, int64_t expected_size);
  void SetAssetBytes(const std::string& hash, int64_t bytes_present);
  std::optional<Asset> GetAsset(const std::string& hash);
  std::vector<Asset> TEST_IncompleteAssets();
  std::string AssetsDir() const;

  // ---- Maintenance ----
  // PRAGMA integrity_check: "ok" or the first problems found.
  std::string TEST_IntegrityCheck();

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  static Store OpenReadOnly(std::unique_ptr<Impl> impl, const std::string& path);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mano::storage

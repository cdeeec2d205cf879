// Plain value types exchanged with Store (see store.h). Storage knows nothing of the
// protocol: payloads are opaque strings (JSON text) and bodies are opaque bytes held in
// std::string. Times are int64 milliseconds since the Unix epoch; "server" times come
// from the server's clock, all others from the local Clock. Money is int64 micro-units
// (1/1,000,000 of the currency unit: 1.25 USD = 1'250'000).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mano::storage {

struct Account {
  std::string name;  // local, unique: the key every other record hangs on
  std::string server_url;
  std::string token;        // bearer token; stored only inside the 0600 database
  std::string receipt_key;  // server's receipt-signing public key, base64 text
  std::string currency;     // e.g. "USD"
  int64_t created_ms = 0;   // set by the store
  // The server's id of the worker the token belongs to (GET /v1/me), "" when not known yet
  // (an account set up before schema 3): a login with another worker's token is refused.
  std::string worker;
};

// The life of an assignment: claimed -> in_progress -> queued (result in the outbox) -> one
// state per receipt -> approved / rejected (review events). Leases end as expired (deadline),
// returned (by the worker), revoked (by the server) or withdrawn (by the requester). Names are
// stored as text: part of the file format, never rename one (schema 3 dropped "finished" and
// "sent", which nothing set, and split "acknowledged" into the receipts' outcomes).
enum class AssignmentState {
  kClaimed,
  kInProgress,
  kQueued,
  kAccepted,      // receipt accepted or duplicate: waiting for review
  kLateAccepted,  // receipt late_accepted: after the deadline, accepted by the late policy
  kConflict,      // receipt conflict: another answer is on record for this assignment
  kLateRefused,   // receipt late_refused: after the deadline, refused by the late policy
  kNotFound,      // receipt not_found: the server no longer had this assignment for us
  kInvalid,       // receipt invalid: the answer failed the server's validation
  kReturned,
  kExpired,
  kRevoked,    // the server took the lease back (event revoked)
  kWithdrawn,  // the requester withdrew the task (event withdrawn)
  kRejected,
  kApproved,
};
inline constexpr AssignmentState kLastAssignmentState = AssignmentState::kApproved;
// "claimed", "in_progress", "queued", "accepted", "late_accepted", "conflict",
// "late_refused", "not_found", "invalid", "returned", "expired", "revoked", "withdrawn",
// "rejected", "approved".
std::string_view ToString(AssignmentState state);
// Throws StoreError(kInvalidArgument) for an unknown name.
AssignmentState AssignmentStateFromString(std::string_view name);

struct Assignment {
  int64_t id = 0;  // local id, unique across accounts; set by the store
  std::string account;
  std::string server_id;  // (account, server_id) is unique
  std::string task_id;
  std::string kind;
  std::string payload;  // opaque JSON: form, display, policy
  // What listings show (the caller's choice: sync stores the form's title at claim time), so
  // no listing reads the payload.
  std::string title;
  std::string assets;   // opaque JSON list
  int64_t deadline_server_ms = 0;
  int64_t reward_micros = 0;
  std::string currency;
  AssignmentState state = AssignmentState::kClaimed;
  // The words the server or requester gave with the current state (a receipt's error, a
  // rejection's, revocation's or withdrawal's reason), verbatim; empty when none.
  std::string state_reason;
  int64_t claimed_at_ms = 0;
  int64_t updated_ms = 0;  // set by the store
};

struct AssignmentFilter {
  std::optional<std::string> account;
  std::optional<AssignmentState> state;
};

// One row of a listing (Store::ListAssignmentSummaries): what `mano list` and the queue
// screen show, read without the task's payload.
struct AssignmentSummary {
  int64_t id = 0;
  std::string account;
  std::string server_id;
  std::string task_id;
  std::string kind;
  std::string title;  // Assignment::title (empty when the query did not ask for titles)
  AssignmentState state = AssignmentState::kClaimed;
  std::string state_reason;  // as Assignment::state_reason
  int64_t deadline_server_ms = 0;
  // deadline_server_ms - ServerNow(account) at the time of the query; nullopt when the
  // account never had contact with its server.
  std::optional<int64_t> remaining_ms;
  int64_t reward_micros = 0;
  std::string currency;
  int64_t draft_version = 0;   // latest checkpoint's version; 0: no draft
  int64_t draft_saved_ms = 0;  // when that version was saved; 0: no draft
};

enum class ListingOrder {
  kById,      // local id, ascending (the order of ListAssignments)
  kQueue,     // states in ListingQuery::first first, then time left (unknown last), then id
  kDeadline,  // soonest deadline (server time) first, then id
};

struct ListingQuery {
  std::optional<std::string> account;
  std::vector<AssignmentState> states;  // empty: any state
  std::vector<int64_t> ids;             // empty: any id
  ListingOrder order = ListingOrder::kById;
  std::vector<AssignmentState> first;  // kQueue: rows in these states come first
  bool with_title = true;              // false leaves the titles out
  int64_t offset = 0;                  // rows skipped (after ordering)
  int64_t limit = -1;                  // at most this many rows; < 0: no limit; 0: count only
};

struct ListingPage {
  std::vector<AssignmentSummary> rows;
  int64_t total = 0;  // rows matching the filters, regardless of offset and limit
};

struct Checkpoint {
  int64_t assignment_id = 0;
  int64_t version = 0;  // 1, 2, 3... per assignment, never reused
  std::string content;
  std::string ui_position;  // opaque: field + cursor
  std::string sha256;       // hex of content
  int64_t saved_ms = 0;
  int64_t restored_from = 0;  // version this one was restored from by Undo, else 0
};

struct SaveResult {
  int64_t version = 0;
  std::string sha256;
  bool written = false;  // false: identical to the latest, nothing was written
  // A compare-and-set save found a newer version than the one expected: `version` is the
  // latest version now (the other writer's content, see Store::SaveCheckpoint).
  bool conflict = false;
};

// What a compare-and-set save does when the draft moved on (Store::SaveCheckpoint).
enum class OnConflict {
  kRefuse,     // write nothing (the caller re-reads and applies its change again)
  kKeepAside,  // keep the rejected content in the history just under a copy of the latest
};

// Stored as text. ("sent" was never set by any mano; a row holding it would read as pending
// and be sent again under its key, which the server answers with the original receipt.)
enum class OutboxState { kPending, kSending, kAcknowledged };
inline constexpr OutboxState kLastOutboxState = OutboxState::kAcknowledged;
std::string_view ToString(OutboxState state);
// The state named `name`; kPending for an unknown name.
OutboxState OutboxStateFromString(std::string_view name);

struct OutboxItem {
  int64_t id = 0;  // enqueue order
  int64_t assignment_id = 0;
  std::string account;
  std::string idempotency_key;
  std::string body;  // opaque bytes
  std::string content_hash;
  OutboxState state = OutboxState::kPending;
  int attempts = 0;  // MarkSending calls
  int64_t enqueued_ms = 0;
  int64_t updated_ms = 0;
  std::string upload_url;     // large uploads (tus): where the upload lives, else empty
  int64_t upload_offset = 0;  // bytes the server has confirmed
  std::string kind;           // the assignment's task kind (schema 4)
  std::string server_id;      // the assignment's server id, the result's "a" (schema 4)
};

// What Store::TakeBackResult found: the result was taken out of the outbox (the assignment
// is a draft again), no result was ever queued, or the result has gone out (being sent,
// sent, or acknowledged) and stays where it is.
enum class TakeBackStatus { kTakenBack, kNotQueued, kOnTheWire };
struct TakeBack {
  TakeBackStatus status = TakeBackStatus::kNotQueued;
  std::optional<OutboxItem> item;  // the item taken back, or the one on the wire
};

struct OutboxTotals {
  int64_t items = 0;  // not yet acknowledged
  int64_t bytes = 0;  // sum of their body sizes
};

struct Receipt {
  std::string idempotency_key;
  std::string status;  // opaque to storage, e.g. "accepted"
  int64_t server_time_ms = 0;
  std::string signature;      // the receipt's own; empty when its batch is signed instead
  std::string raw;            // the receipt as received (completed), for later verification
  int64_t assignment_id = 0;  // filled in when read back
  int64_t batch_id = 0;       // filled in when read back: its ReceiptBatch, 0 when none
  // What applying it makes of the assignment (the caller maps the status) and the server's
  // words with it (Assignment::state_reason); GetReceipt leaves them at their defaults.
  AssignmentState outcome = AssignmentState::kAccepted;
  std::string reason;
};

// A signed batch of receipts: the exact bytes the server signed and the signature, kept
// once for all the receipts of one reply so each of them stays provable on its own.
struct ReceiptBatch {
  int64_t id = 0;         // set by the store
  std::string account;    // filled in when read back (ApplyReceipts's account)
  std::string canonical;  // opaque bytes, exactly as signed
  std::string signature;
  int64_t received_ms = 0;  // set by the store
};

struct Anchor {
  int64_t assignment_id = 0;
  std::string checkpoint_hash;
  int64_t server_time_ms = 0;
  int64_t new_deadline_ms = 0;
  int64_t recorded_ms = 0;
};

struct Event {
  int64_t seq = 0;  // server sequence number, unique per account
  std::string type;
  std::string assignment_server_id;  // may be empty
  std::string payload;               // opaque JSON
  int64_t server_time_ms = 0;
};

struct JournalEntry {
  int64_t seq = 0;  // global, 1, 2, 3...
  int64_t time_ms = 0;
  std::string account;
  std::optional<int64_t> assignment_id;
  std::string type;     // "state", "active_time", "checkpoint_undo", or caller-chosen
  std::string payload;  // JSON text
  std::string prev_hash;
  std::string hash;  // sha256 hex over prev_hash and the canonical fields
};

// The entry's chain hash: sha256hex(prev_hash || canonical fields), canonical = each field as
// "<byte length>:<bytes>;" in the order seq, time_ms, account, assignment_id (empty when
// none), type, payload. What the store writes and VerifyJournal checks; public so a copy of
// the entries (an evidence file) can be checked without a store.
std::string JournalEntryHash(const JournalEntry& entry);

struct JournalCheck {
  bool ok = true;
  int64_t entries = 0;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // one sentence when not ok
};

struct SyncState {
  int64_t last_contact_ms = 0;
  int64_t offline_since_ms = 0;  // 0 = online
  int64_t next_retry_ms = 0;
  int backoff_step = 0;
  std::string pending_claim_key;  // reuse for a claim retried after a crash
  // When the server last refused the token (401/403), local time; 0 once a request with the
  // token went through. A refused token is not being offline: it needs a new login.
  int64_t auth_refused_ms = 0;
};

enum class Direction { kUp, kDown };

struct ByteCounts {
  int64_t up = 0;
  int64_t down = 0;
};

struct Asset {
  std::string hash;  // content hash, names the file
  int64_t expected_size = 0;
  int64_t bytes_present = 0;
  std::string path;  // <data_dir>/assets/<hash>
  bool complete() const { return expected_size > 0 && bytes_present >= expected_size; }
};

struct TableRecovery {
  std::string table;
  int64_t recovered = 0;
  // Rows lost: the damaged table's count(*) minus `recovered` when that count could still
  // be read, otherwise the number of unreadable regions skipped (a lower bound).
  int64_t lost = 0;
};

struct OpenReport {
  std::string path;
  bool created = false;        // a new database was made
  int schema_from = 0;         // user_version found (0 for new)
  int schema_to = 0;           // user_version now
  std::string recovered_from;  // non-empty: damaged file moved here, rows copied out
  std::string damage;          // what quick_check (or the open) reported
  // quick_check ran on this open; it is skipped when another Store of this process already
  // holds the file open (it was checked when that one opened it).
  bool quick_checked = false;
  std::vector<TableRecovery> tables;
  bool clock_jumped_back = false;
  bool read_only = false;  // opened with OpenOptions::read_only
  bool immutable = false;  // ... and read as immutable (see OpenOptions::read_only)
};

}  // namespace mano::storage

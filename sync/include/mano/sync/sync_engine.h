// SyncEngine: everything the client does with servers, for `mano login/claim/sync/return`
// and for the terminal UI's background sync.
//
// One pass (RunPass) covers every account, each on its own: its own transport, backoff,
// cursors and server clock, and (with several accounts) its own thread and Store
// connection, so a server that cannot be reached is recorded as offline without holding
// up the others. Per account, in this order:
//   (a) progress anchors for assignments whose deadline is near or passed (tiny requests);
//   (b) the outbox, in zstd batches sized to the link (BatchSizer), each compressed with
//       and without the server's zstd dictionary for the batch's main kind (fetched once as
//       prefetch traffic, kept in the store) and sent in the smaller form; each receipt's
//       signature is checked against the key pinned at login, and good receipts are stored
//       and their items acknowledged in one transaction; a bad signature leaves the item
//       unacknowledged and is reported;
//   (c) events (reviews, payments, revoked leases, withdrawn tasks) applied to assignments;
//   (d) prefetch: claim up to the queue the worker asked for, download assets with Range
//       resume and hash check, within the data budget (which never holds back a-c).
// With a server that offers POST /v1/sync (docs/PROTOCOL.md section 16), (a), the first
// batch of (b), the first page of (c), the dictionary check and the claim of (d) go in ONE
// request and reply; only further batches, event pages, uploads and assets take more.
// Assignments whose deadline (server time) has passed are marked expired; their work is
// kept and still goes up (late, with its anchor).
//
// Threads: a SyncEngine opens its OWN Store on the data dir and is driven by one thread
// (the CLI's, or a background thread in the UI); during RunPass it runs one short-lived
// thread per account when there are several (ProgressSink calls are then serialised). From any
// other thread only Wake(), RequestStop(), Snapshot() and notify_fd() may be called; they are
// thread-safe. Errors: being offline, a captive portal or a refused token are outcomes in the
// report, not exceptions. Login/Claim/Return throw SyncError (kind says why).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mano/storage/store.h"
#include "mano/sync/asset_limits.h"
#include "mano/sync/backoff.h"
#include "mano/sync/batch_sizer.h"
#include "mano/sync/curl_share.h"
#include "mano/sync/curl_transport.h"
#include "mano/sync/data_budget.h"
#include "mano/sync/progress.h"
#include "mano/sync/report_note.h"
#include "mano/sync/transfer_cancel.h"
#include "mano/sync/transport.h"
#include "mano/sync/unique_fd.h"

namespace mano::sync {

struct QueueWant {
  int count = 0;                   // assignments to keep claimed (0: claim nothing by itself)
  std::vector<std::string> kinds;  // empty: any
};

struct EngineOptions {
  // How every account's CurlTransport connects (CA file, http to non-loopback, timeouts,
  // per-request deadline: curl_transport.h). The engine fills in server_url, token, cancel
  // and share for each account itself; what is set there here is not used.
  TransportOptions transport;
  BackoffOptions backoff;
  BatchSizerOptions batch;
  BudgetLimits budget;
  AssetLimits assets;                      // disk room for prefetched assets (asset_limits.h)
  std::map<std::string, QueueWant> want;   // per account name; "" applies to all others
  int64_t anchor_window_ms = 15 * 60'000;  // anchor when the deadline is this close
  int64_t idle_poll_ms = 5 * 60'000;       // Watch: look for events this often when idle
  bool zstd_dictionaries = true;           // use the server's per-kind dictionaries (§13)
  ProgressSink* progress = nullptr;        // not owned; null: no progress output
  storage::OpenOptions store;              // e.g. a test clock
  // Test seam: builds the transport for an account (default: CurlTransport).
  std::function<std::unique_ptr<Transport>(const storage::Account&)> TEST_transport;
};

enum class AccountOutcome {
  kOk,           // everything that was due went through
  kPartial,      // reached the server but some items failed (see errors)
  kOffline,      // server not reachable / link cut
  kCaptive,      // a captive portal answered
  kAuthRefused,  // the token was refused (401/403)
  kWaiting,      // skipped: backoff has not ended yet
  kError,        // a malformed reply, a bad receipt key, a storage failure...
};

struct AccountReport {
  std::string account;
  AccountOutcome outcome = AccountOutcome::kOk;
  int anchors = 0;
  int results_sent = 0;     // results in batches that got receipts
  int results_acked = 0;    // newly acknowledged (accepted, duplicate, late_accepted)
  int results_refused = 0;  // acknowledged with a refusal (conflict, invalid, late_refused...)
  int bad_signatures = 0;
  int events = 0;
  int claimed = 0;
  int assets = 0;  // completed downloads
  int expired = 0;
  bool budget_limited = false;  // prefetch held back by the data budget
  int64_t bytes_up = 0;
  int64_t bytes_down = 0;
  // zstd dictionaries (PROTOCOL.md section 13): batches sent dict-compressed, the body bytes
  // that saved against the same batch without it, dictionaries fetched and the bytes that
  // cost (prefetch traffic, included in bytes_up/bytes_down).
  int dict_batches = 0;
  int64_t dict_bytes_saved = 0;
  int dict_fetched = 0;
  int64_t dict_fetch_bytes = 0;
  int64_t next_retry_ms = 0;                 // local time; 0 when online
  std::vector<ReportNote> errors;            // what went wrong, as codes (the client words them)
  std::vector<AssetRefusal> asset_refusals;  // assets prefetch left alone (AssetLimits)
};

struct PassReport {
  std::vector<AccountReport> accounts;
  // True when every account is kOk (or there are none).
  bool all_ok() const;
};

struct AccountStatus {
  std::string account;
  std::string server_url;
  AccountOutcome last_outcome = AccountOutcome::kOk;
  bool online = false;
  int64_t last_contact_ms = 0;
  int64_t offline_since_ms = 0;
  int64_t next_retry_ms = 0;
  int64_t outbox_items = 0;
  int64_t outbox_bytes = 0;
  std::optional<ReportNote> last_error;  // the last pass's first problem, if any
  // When the server last refused the token (401/403), local time; 0 when it was accepted
  // since. Not offline: the worker must log in again (`mano login`).
  int64_t auth_refused_ms = 0;
};

struct EngineStatus {
  bool running = false;  // a pass is under way
  int64_t passes = 0;
  std::vector<AccountStatus> accounts;
};

// A login whose token belongs to another worker than the one the account was set up with.
struct IdentityChange {
  std::string account;
  std::string old_worker;  // the account's (Account::worker)
  std::string new_worker;  // the token's (GET /v1/me)
  // Local ids of the account's work leased to old_worker and not yet judged (claimed, in
  // progress, expired, queued): the server will not take its results from new_worker.
  std::vector<int64_t> open_ids;
};

struct LoginOptions {
  bool replace_key = false;  // accept a receipt key different from the pinned one
  // Asked before anything is stored when the token is another worker's: true goes on (the
  // account becomes the new worker's, its open work stays as it is), false refuses. Null:
  // refused. A refusal throws SyncError{kConfig} unless the callback throws its own error.
  std::function<bool(const IdentityChange&)> identity_changed;
};

class SyncEngine {
 public:
  SyncEngine(const std::string& data_dir, EngineOptions options = {});
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Fetches and pins the receipt key, checks the token with GET /v1/me, and stores the
  // account (updating its URL/token if it exists) with the worker the token belongs to; a
  // token of another worker for an existing account goes through options.identity_changed. Throws
  // SyncError (kAuth, kOffline, ...).
  storage::Account Login(const std::string& name, const std::string& server_url,
                         const std::string& token, LoginOptions options = {});
  // Claims `count` assignments of `kinds` now. The idempotency key is stored before the
  // request and reused after a crash or cut, so a retry never claims a second set.
  // Returns the local ids of the claimed assignments. Throws SyncError.
  std::vector<int64_t> Claim(const std::string& account, int count,
                             const std::vector<std::string>& kinds = {});
  // Hands an assignment (local id) back. Throws SyncError (kHttp 409 after the deadline).
  void Return(int64_t assignment_id);

  // One pass over every account (or just `only_account`). `force` ignores backoff waits.
  PassReport RunPass(bool force = true, const std::string& only_account = "");
  // Keeps syncing until RequestStop(): passes when woken, when a backoff ends, when the
  // network changes (netlink), or every idle_poll_ms. Sleeps in poll(): no busy loop.
  void Watch();

  // Thread-safe controls.
  void Wake();  // run a pass soon (new work queued)
  // Watch returns soon: the transfer in flight is cut (TransferCancel), no new one starts.
  void RequestStop();
  bool stop_requested() const { return stop_.load(); }
  EngineStatus Snapshot() const;
  // Readable (eventfd) whenever Snapshot() changed; read 8 bytes to clear.
  int notify_fd() const { return notify_fd_.get(); }
  // Local ms until the next planned pass in Watch (0: due now).
  int64_t NextWakeMs();

  storage::Store& store() { return store_; }
  // Connections, TLS handshakes and resumed handshakes of this engine's transports so far
  // (logins included): what reuse saved, for tests and benchmarks.
  CurlShare::Counts LinkCounts() const { return share_->counts(); }

 private:
  struct AccountRuntime;
  AccountRuntime& Runtime(const storage::Account& account);
  AccountReport SyncAccount(storage::Store& store, AccountRuntime& runtime,
                            const EngineOptions& options, const storage::Account& account,
                            bool force);
  void PublishStatus(bool running);
  // Login: refuses (SyncError) a token of another worker for an existing account unless
  // login.identity_changed agrees.
  void CheckIdentity(const storage::Account& account, const LoginOptions& login);
  void Notify();

  std::string data_dir_;
  EngineOptions options_;
  storage::Store store_;
  std::map<std::string, std::unique_ptr<AccountRuntime>> runtimes_;
  std::map<std::string, AccountReport> last_reports_;
  std::atomic<bool> stop_{false};
  std::shared_ptr<TransferCancel> cancel_ = std::make_shared<TransferCancel>();
  // Connections and TLS sessions of every account's transport (and of logins), kept across
  // passes: accounts on the same server share the open connection.
  std::shared_ptr<CurlShare> share_ = std::make_shared<CurlShare>(cancel_);
  UniqueFd wake_fd_;    // eventfd: Wake() and RequestStop() end Watch()'s poll
  UniqueFd notify_fd_;  // eventfd: readable when Snapshot() changed
  mutable std::mutex status_mutex_;
  EngineStatus status_;
};

}  // namespace mano::sync

#include "mano/sync/sync_engine.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <map>
#include <optional>
#include <thread>

#include "account_pass.h"
#include "mano/sync/curl_transport.h"
#include "mano/sync/net_watcher.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

using storage::Direction;

bool PassReport::all_ok() const {
  return std::all_of(accounts.begin(), accounts.end(),
                     [](const AccountReport& r) { return r.outcome == AccountOutcome::kOk; });
}

struct SyncEngine::AccountRuntime {
  std::unique_ptr<Transport> transport;
  std::string server_url;
  std::string token;
  Backoff backoff;
  BatchSizer sizer;
  bool one_trip = true;  // the server offers POST /v1/sync (until it answers 404)
  AccountRuntime(const BackoffOptions& b, const BatchSizerOptions& s) : backoff(b), sizer(s) {}
};

namespace {

std::unique_ptr<Transport> MakeTransport(const EngineOptions& options,
                                         const storage::Account& account,
                                         std::shared_ptr<TransferCancel> cancel,
                                         std::shared_ptr<CurlShare> share) {
  if (options.TEST_transport) return options.TEST_transport(account);
  TransportOptions t = options.transport;
  t.server_url = account.server_url;
  t.token = account.token;
  t.cancel = std::move(cancel);
  t.share = std::move(share);
  return std::make_unique<CurlTransport>(t);
}

// Counts bytes per traffic class and writes them to the store once, at the end.
class ByteTally {
 public:
  ByteTally(storage::Store& store, std::string account, AccountReport* report)
      : store_(store), account_(std::move(account)), report_(report) {}
  ServerApi::ByteCounter Counter() {
    return [this](Traffic, int64_t up, int64_t down) {
      up_ += up;
      down_ += down;
      if (report_) {
        report_->bytes_up += up;
        report_->bytes_down += down;
      }
    };
  }
  // Writes what was counted so far (best effort: a storage failure must not hide the
  // network outcome).
  void Flush() {
    if (up_ == 0 && down_ == 0) return;
    try {
      const std::string day = DataBudget::Day(store_.clock().NowMs());
      if (up_) store_.AddBytes(account_, day, Direction::kUp, up_);
      if (down_) store_.AddBytes(account_, day, Direction::kDown, down_);
      up_ = down_ = 0;
    } catch (const storage::StoreError&) {
    }
  }
  ~ByteTally() { Flush(); }

 private:
  storage::Store& store_;
  std::string account_;
  AccountReport* report_;
  int64_t up_ = 0, down_ = 0;
};

AccountOutcome OutcomeOf(const SyncError& error) {
  switch (error.kind()) {
    case SyncErrorKind::kOffline:
    case SyncErrorKind::kTimeout:
      return AccountOutcome::kOffline;
    case SyncErrorKind::kCaptive:
      return AccountOutcome::kCaptive;
    case SyncErrorKind::kAuth:
      return AccountOutcome::kAuthRefused;
    case SyncErrorKind::kHttp:
      if (error.http_status() == 429 || error.http_status() >= 500) return AccountOutcome::kOffline;
      return AccountOutcome::kError;
    default:
      return AccountOutcome::kError;
  }
}

}  // namespace

SyncEngine::SyncEngine(const std::string& data_dir, EngineOptions options)
    : data_dir_(data_dir),
      options_(std::move(options)),
      store_(storage::Store::Open(data_dir, options_.store)),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      notify_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

SyncEngine::~SyncEngine() = default;

SyncEngine::AccountRuntime& SyncEngine::Runtime(const storage::Account& account) {
  auto& slot = runtimes_[account.name];
  if (!slot || slot->server_url != account.server_url || slot->token != account.token) {
    BackoffOptions backoff = options_.backoff;
    if (backoff.seed) backoff.seed += std::hash<std::string>{}(account.name);
    slot = std::make_unique<AccountRuntime>(backoff, options_.batch);
    try {
      slot->sizer.Restore(LoadLinkBatchBytes(store_, account.name));  // what the link carried
    } catch (const storage::StoreError&) {
    }
    slot->transport = MakeTransport(options_, account, cancel_, share_);
    slot->server_url = account.server_url;
    slot->token = account.token;
  }
  return *slot;
}

storage::Account SyncEngine::Login(const std::string& name, const std::string& server_url,
                                   const std::string& token, LoginOptions login) {
  storage::Account account;
  account.name = name;
  account.server_url = server_url;
  while (!account.server_url.empty() && account.server_url.back() == '/')
    account.server_url.pop_back();
  account.token = token;
  std::string why;
  if (!options_.TEST_transport &&
      !CurlTransport::UrlAllowed(account.server_url, options_.transport.allow_insecure_http,
                                 &why)) {
    throw SyncError(SyncErrorKind::kConfig, why);
  }
  auto transport = MakeTransport(options_, account, cancel_, share_);
  int64_t up = 0, down = 0;
  ServerApi api(*transport, token, [&](Traffic, int64_t u, int64_t d) {
    up += u;
    down += d;
  });
  const ReceiptKey key = api.GetReceiptKey();
  if (key.alg != "ed25519") {
    throw SyncError(SyncErrorKind::kSignature,
                    "The server signs receipts with " + key.alg + ", which mano does not know.");
  }
  const ReceiptVerifier verifier = ReceiptVerifier::FromBase64(key.key);
  if (verifier.KeyId() != key.key_id) {
    throw SyncError(SyncErrorKind::kSignature,
                    "The server's receipt key does not match its key id " + key.key_id + ".");
  }
  const MeReply me = api.GetMe();
  account.receipt_key = key.key;
  account.currency = me.currency;
  account.worker = me.worker;
  CheckIdentity(account, login);
  try {
    if (auto existing = store_.GetAccount(name)) {
      if (!existing->receipt_key.empty() && existing->receipt_key != key.key &&
          !login.replace_key) {
        throw SyncError(SyncErrorKind::kSignature,
                        "The server's receipt key changed since account " + name +
                            " was set up; log in again with the option to replace the key if "
                            "this is expected.");
      }
      store_.UpdateAccount(account);
    } else {
      store_.AddAccount(account);
    }
    store_.RecordServerContact(name, me.server_time);
    const std::string day = DataBudget::Day(store_.clock().NowMs());
    store_.AddBytes(name, day, Direction::kUp, up);
    store_.AddBytes(name, day, Direction::kDown, down);
    storage::SyncState state = store_.GetSyncState(name);
    state.last_contact_ms = store_.clock().NowMs();
    state.offline_since_ms = 0;
    state.next_retry_ms = 0;
    state.backoff_step = 0;
    state.auth_refused_ms = 0;
    store_.PutSyncState(name, state);
  } catch (const storage::StoreError& error) {
    throw SyncError(SyncErrorKind::kStorage, error.what());
  }
  runtimes_.erase(name);
  PublishStatus(false);
  return *store_.GetAccount(name);
}

void SyncEngine::CheckIdentity(const storage::Account& account, const LoginOptions& login) {
  IdentityChange change;
  try {
    const auto existing = store_.GetAccount(account.name);
    // An account from before schema 3 never learned its worker: the first login records it.
    if (!existing || existing->worker.empty() || existing->worker == account.worker) return;
    change.account = account.name;
    change.old_worker = existing->worker;
    change.new_worker = account.worker;
    storage::ListingQuery open;
    open.account = account.name;
    open.states = {storage::AssignmentState::kClaimed, storage::AssignmentState::kInProgress,
                   storage::AssignmentState::kExpired, storage::AssignmentState::kQueued};
    open.with_title = false;
    for (const auto& row : store_.ListAssignmentSummaries(open).rows)
      change.open_ids.push_back(row.id);
  } catch (const storage::StoreError& error) {
    throw SyncError(SyncErrorKind::kStorage, error.what());
  }
  if (!login.identity_changed || !login.identity_changed(change)) {
    throw SyncError(SyncErrorKind::kConfig, "The token belongs to worker " + change.new_worker +
                                                ", not to worker " + change.old_worker +
                                                " of account " + change.account + ".");
  }
}

std::vector<int64_t> SyncEngine::Claim(const std::string& name, int count,
                                       const std::vector<std::string>& kinds) {
  const auto account = store_.GetAccount(name);
  if (!account) throw SyncError(SyncErrorKind::kConfig, "There is no account named " + name + ".");
  AccountRuntime& runtime = Runtime(*account);
  AccountReport report;
  ByteTally tally(store_, name, &report);
  ServerApi api(*runtime.transport, account->token, tally.Counter());
  AccountPass pass(store_, *account, api, runtime.sizer, options_, report);
  try {
    return pass.ClaimNow(count, kinds);
  } catch (const storage::StoreError& error) {
    throw SyncError(SyncErrorKind::kStorage, error.what());
  }
}

void SyncEngine::Return(int64_t assignment_id) {
  const auto assignment = store_.GetAssignment(assignment_id);
  if (!assignment) {
    throw SyncError(SyncErrorKind::kConfig,
                    "There is no assignment " + std::to_string(assignment_id) + ".");
  }
  const auto account = store_.GetAccount(assignment->account);
  if (!account) throw SyncError(SyncErrorKind::kConfig, "The assignment's account is gone.");
  AccountRuntime& runtime = Runtime(*account);
  ByteTally tally(store_, account->name, nullptr);
  ServerApi api(*runtime.transport, account->token, tally.Counter());
  const ReturnReply reply = api.Return(assignment->server_id);
  try {
    store_.RecordServerContact(account->name, reply.server_time);
    store_.SetState(assignment_id, storage::AssignmentState::kReturned, "returned by the worker");
  } catch (const storage::StoreError& error) {
    throw SyncError(SyncErrorKind::kStorage, error.what());
  }
}

AccountReport SyncEngine::SyncAccount(storage::Store& store, AccountRuntime& runtime,
                                      const EngineOptions& options, const storage::Account& account,
                                      bool force) {
  AccountReport report;
  report.account = account.name;
  storage::SyncState state = store.GetSyncState(account.name);
  const int64_t now = store.clock().NowMs();
  if (!force && state.next_retry_ms > now) {
    report.outcome = AccountOutcome::kWaiting;
    report.next_retry_ms = state.next_retry_ms;
    return report;
  }
  runtime.backoff.set_failures(state.backoff_step);
  ByteTally tally(store, account.name, &report);
  ServerApi api(*runtime.transport, account.token, tally.Counter());
  try {
    AccountPass pass(store, account, api, runtime.sizer, options, report);
    // Bytes prefetch may still move under the data budget (after what was counted so far).
    auto room = [&] {
      tally.Flush();
      const DataBudget budget(options.budget);
      if (budget.unlimited()) return INT64_MAX;
      const int64_t t = store.clock().NowMs();
      const auto day = store.BytesUsed("", DataBudget::Day(t), DataBudget::Day(t));
      const auto month =
          store.BytesUsed("", DataBudget::MonthFirstDay(t), DataBudget::MonthLastDay(t));
      return budget.PrefetchRoom(day.up + day.down, month.up + month.down);
    };
    pass.Run(&runtime.one_trip, room);
    report.outcome = report.errors.empty() ? AccountOutcome::kOk : AccountOutcome::kPartial;
    runtime.backoff.Succeed();
    state = store.GetSyncState(account.name);
    state.last_contact_ms = store.clock().NowMs();
    state.offline_since_ms = 0;
    state.next_retry_ms = 0;
    state.backoff_step = 0;
    state.auth_refused_ms = 0;
  } catch (const SyncError& error) {
    report.outcome = OutcomeOf(error);
    report.errors.push_back(ReportNote::FromError(error));
  } catch (const storage::StoreError& error) {
    report.outcome = AccountOutcome::kError;
    report.errors.push_back(ReportNote::StoreFailed(error));
  }
  if (report.outcome != AccountOutcome::kOk && report.outcome != AccountOutcome::kPartial) {
    try {
      state = store.GetSyncState(account.name);  // keep a claim key stored by the pass
      const int64_t delay = runtime.backoff.Fail(api.retry_after_ms());
      const int64_t t = store.clock().NowMs();
      state.next_retry_ms = t + delay;
      state.backoff_step = runtime.backoff.failures();
      // A refused token is its own state: the server answered, the link is fine.
      if (report.outcome == AccountOutcome::kAuthRefused) {
        state.auth_refused_ms = t;
        state.last_contact_ms = t;
        state.offline_since_ms = 0;
      } else if (state.offline_since_ms == 0) {
        state.offline_since_ms = t;
      }
      report.next_retry_ms = state.next_retry_ms;
    } catch (const storage::StoreError& error) {
      report.errors.push_back(ReportNote::StoreFailed(error));
    }
  }
  tally.Flush();
  try {
    SaveLinkBatchBytes(store, account.name, runtime.sizer.bytes());  // for the next process
  } catch (const storage::StoreError& error) {
    report.errors.push_back(ReportNote::StoreFailed(error));
  }
  try {
    store.PutSyncState(account.name, state);
  } catch (const storage::StoreError& error) {
    report.errors.push_back(ReportNote::StoreFailed(error));
  }
  return report;
}

namespace {

// Lets account threads share the caller's ProgressSink: one call at a time.
class SerialProgress final : public ProgressSink {
 public:
  explicit SerialProgress(ProgressSink* target) : target_(target) {}
  void OnProgress(const Progress& progress) override {
    std::lock_guard<std::mutex> lock(mutex_);
    target_->OnProgress(progress);
  }
  void OnAccountDone(const std::string& account) override {
    std::lock_guard<std::mutex> lock(mutex_);
    target_->OnAccountDone(account);
  }

 private:
  std::mutex mutex_;
  ProgressSink* target_;
};

}  // namespace

PassReport SyncEngine::RunPass(bool force, const std::string& only_account) {
  PublishStatus(true);
  std::vector<storage::Account> accounts;
  for (auto& account : store_.ListAccounts()) {
    if (only_account.empty() || account.name == only_account)
      accounts.push_back(std::move(account));
  }
  std::vector<AccountRuntime*> runtimes;
  for (const auto& account : accounts) runtimes.push_back(&Runtime(account));
  PassReport pass;
  pass.accounts.resize(accounts.size());
  if (accounts.size() == 1) {
    pass.accounts[0] = SyncAccount(store_, *runtimes[0], options_, accounts[0], force);
    if (options_.progress) options_.progress->OnAccountDone(accounts[0].name);
  } else if (!accounts.empty()) {
    // Servers go side by side, each on its own Store connection (WAL: one writer at a
    // time, briefly), so a server that does not answer holds up nobody else; accounts on the
    // same server go one after the other, on the one connection the CurlShare keeps open.
    SerialProgress serial(options_.progress);
    EngineOptions options = options_;
    options.progress = options_.progress ? &serial : nullptr;
    std::map<std::string, std::vector<size_t>> by_server;
    for (size_t i = 0; i < accounts.size(); ++i) by_server[accounts[i].server_url].push_back(i);
    std::vector<std::thread> threads;
    for (const auto& [server, group] : by_server) {
      threads.emplace_back([&, group = group] {
        std::optional<storage::Store> own;
        for (const size_t i : group) {
          AccountReport& report = pass.accounts[i];
          if (stop_.load()) {
            report.account = accounts[i].name;
            report.outcome = AccountOutcome::kWaiting;
            continue;
          }
          try {
            if (!own) own.emplace(storage::Store::Open(data_dir_, options_.store));
            report = SyncAccount(*own, *runtimes[i], options, accounts[i], force);
          } catch (const std::exception& error) {
            report.account = accounts[i].name;
            report.outcome = AccountOutcome::kError;
            report.errors.push_back(ReportNote::StoreFailed(error));
          }
          if (options.progress) options.progress->OnAccountDone(accounts[i].name);
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  for (const auto& report : pass.accounts) {
    // A skipped account (still backing off) keeps the outcome of its last real attempt.
    if (report.outcome != AccountOutcome::kWaiting) last_reports_[report.account] = report;
  }
  PublishStatus(false);
  return pass;
}

int64_t SyncEngine::NextWakeMs() {
  const int64_t now = store_.clock().NowMs();
  int64_t wait = options_.idle_poll_ms;
  for (const auto& account : store_.ListAccounts()) {
    const storage::SyncState state = store_.GetSyncState(account.name);
    if (state.next_retry_ms > 0)
      wait = std::min(wait, std::max<int64_t>(0, state.next_retry_ms - now));
  }
  return wait;
}

void SyncEngine::Watch() {
  NetWatcher net;
  bool force = true;
  while (!stop_.load()) {
    RunPass(force);
    force = false;
    if (stop_.load()) break;
    const int64_t wait = NextWakeMs();
    pollfd fds[2] = {{wake_fd_.get(), POLLIN, 0}, {net.fd(), POLLIN, 0}};
    const int n =
        poll(fds, net.available() ? 2 : 1, static_cast<int>(std::min<int64_t>(wait, INT_MAX)));
    if (n <= 0) continue;
    if (fds[0].revents & POLLIN) {
      uint64_t value = 0;
      if (read(wake_fd_.get(), &value, sizeof value) < 0) {
      }
      force = true;  // asked to sync now (new work, or the worker pressed a key)
    }
    if (net.available() && (fds[1].revents & POLLIN) && net.Drain()) {
      force = true;  // the network came back (or changed): do not wait out the backoff
    }
  }
}

void SyncEngine::Wake() {
  const uint64_t one = 1;
  if (write(wake_fd_.get(), &one, sizeof one) < 0) {
  }
}

void SyncEngine::RequestStop() {
  stop_.store(true);
  cancel_->Cancel();  // a transfer in flight ends now, not when the link answers
  Wake();
}

void SyncEngine::Notify() {
  const uint64_t one = 1;
  if (write(notify_fd_.get(), &one, sizeof one) < 0) {
  }
}

EngineStatus SyncEngine::Snapshot() const {
  std::lock_guard<std::mutex> lock(status_mutex_);
  return status_;
}

void SyncEngine::PublishStatus(bool running) {
  EngineStatus status;
  status.running = running;
  try {
    for (const auto& account : store_.ListAccounts()) {
      AccountStatus s;
      s.account = account.name;
      s.server_url = account.server_url;
      const storage::SyncState state = store_.GetSyncState(account.name);
      s.last_contact_ms = state.last_contact_ms;
      s.offline_since_ms = state.offline_since_ms;
      s.next_retry_ms = state.next_retry_ms;
      s.online = state.last_contact_ms > 0 && state.offline_since_ms == 0;
      s.auth_refused_ms = state.auth_refused_ms;
      const storage::OutboxTotals totals = store_.OutboxStats(account.name);
      s.outbox_items = totals.items;
      s.outbox_bytes = totals.bytes;
      if (auto it = last_reports_.find(account.name); it != last_reports_.end()) {
        s.last_outcome = it->second.outcome;
        s.online = s.online && it->second.outcome != AccountOutcome::kOffline &&
                   it->second.outcome != AccountOutcome::kCaptive;
        if (!it->second.errors.empty()) s.last_error = it->second.errors.front();
      }
      status.accounts.push_back(std::move(s));
    }
  } catch (const storage::StoreError&) {
    // Keep the previous snapshot's accounts; the next pass will try again.
    std::lock_guard<std::mutex> lock(status_mutex_);
    status.accounts = status_.accounts;
  }
  {
    std::lock_guard<std::mutex> lock(status_mutex_);
    status.passes = status_.passes + (running ? 0 : 1);
    status_ = std::move(status);
  }
  Notify();
}

}  // namespace mano::sync

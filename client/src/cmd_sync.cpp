// mano sync [--watch], mano status [--json].
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "mano/client/commands.h"
#include "mano/client/i18n.h"
#include "mano/client/sync_text.h"
#include "mano/client/terminal_text.h"
#include "mano/client/time_format.h"
#include "mano/storage/enum_names.h"
#include "mano/storage/store_error.h"
#include "mano/sync/sync_error.h"

namespace mano::client {
namespace {

// One line of progress on the terminal, rewritten in place (only when stdout is a tty).
class TerminalProgress : public sync::ProgressSink {
 public:
  explicit TerminalProgress(std::ostream& err) : err_(err) {}
  void OnProgress(const sync::Progress& p) override {
    std::string line = p.account + ": " + p.phase + " " + std::to_string(p.items_done);
    if (p.items_total) line += "/" + std::to_string(p.items_total);
    if (p.bytes_total)
      line += "  " + std::to_string(p.bytes_done / 1024) + "/" +
              std::to_string(p.bytes_total / 1024) + " KiB";
    if (p.rate_bytes_per_s) line += "  " + std::to_string(p.rate_bytes_per_s / 1024) + " KiB/s";
    if (p.eta_ms >= 0) line += "  " + FormatDuration(p.eta_ms);
    err_ << "\r" << line.substr(0, 79) << "\033[K" << std::flush;
  }
  void OnAccountDone(const std::string&) override { err_ << "\r\033[K" << std::flush; }

 private:
  std::ostream& err_;
};

using sync::AccountOutcome;
constexpr storage::EnumName<AccountOutcome> kOutcomeWords[] = {
    {AccountOutcome::kOk, N_("synced")},
    {AccountOutcome::kPartial, N_("partly synced")},
    {AccountOutcome::kOffline, N_("offline")},
    {AccountOutcome::kCaptive, N_("behind a captive portal")},
    {AccountOutcome::kAuthRefused, N_("token refused")},
    {AccountOutcome::kWaiting, N_("waiting to retry")},
    {AccountOutcome::kError, N_("failed")},
};

std::string OutcomeText(const sync::AccountReport& r) {
  const char* words = storage::NameOf(kOutcomeWords, r.outcome, nullptr);
  return words ? Tr(words) : "?";
}

// Whole MiB, rounded up (a 1-byte file is not "0 MiB").
std::string Mib(int64_t bytes) {
  return std::to_string(bytes / (1 << 20) + (bytes % (1 << 20) != 0));
}

// One sentence for an asset prefetch left alone; `task` is the id mano list shows.
std::string AssetRefusalText(const sync::AssetRefusal& r, const std::string& task) {
  using C = sync::AssetRefusalCode;
  const std::string file = TerminalSafe(r.hash.substr(0, 12));
  switch (r.code) {
    case C::kTaskTooLarge:
      return TrFormat(
          "Task {0} was not downloaded: its files take {1} MiB, more than the {2} MiB allowed "
          "per task (config asset_task_max_mb).",
          {task, Mib(r.bytes), Mib(r.limit)});
    case C::kFolderFull:
      return TrFormat(
          "File {0} of task {1} ({2} MiB) was not downloaded: the asset folder would pass its "
          "limit of {3} MiB (config asset_folder_max_mb).",
          {file, task, Mib(r.bytes), Mib(r.limit)});
    case C::kDiskReserve:
      return TrFormat(
          "File {0} of task {1} ({2} MiB) was not downloaded: the disk would have less than "
          "the {3} MiB kept free for saving work (config disk_reserve_mb).",
          {file, task, Mib(r.bytes), Mib(r.limit)});
  }
  return {};
}

ExitCode PrintReport(const CliContext& ctx, storage::Store& store, const sync::PassReport& report) {
  ExitCode code = ExitCode::kOk;
  for (const auto& r : report.accounts) {
    *ctx.out << TrFormat(
                    "{0}: {1}; sent {2}, acknowledged {3}, refused {4}, events {5}, claimed {6}.",
                    {TerminalSafe(r.account), OutcomeText(r), std::to_string(r.results_sent),
                     std::to_string(r.results_acked), std::to_string(r.results_refused),
                     std::to_string(r.events), std::to_string(r.claimed)})
             << "\n";
    for (const auto& e : r.errors) *ctx.err << "  " << TerminalSafe(ReportNoteText(e)) << "\n";
    PrintAssetRefusals(ctx, store, r);
    using O = sync::AccountOutcome;
    if (r.outcome == O::kAuthRefused)
      code = ExitCode::kAuth;
    else if (r.outcome != O::kOk && code == ExitCode::kOk)
      code = ExitCode::kUnreachable;
  }
  if (report.accounts.empty())
    *ctx.out << Tr("There is no account yet: run mano login first.") << "\n";
  // A refused token is not a bad link: say what fixes it.
  for (const auto& r : report.accounts) {
    if (r.outcome != sync::AccountOutcome::kAuthRefused) continue;
    const auto account = ctx.OpenStore().GetAccount(r.account);
    if (!account) continue;
    *ctx.out << "  "
             << TrFormat("Ask for a new token, then run: mano login --server {0} --name {1}",
                         {account->server_url, account->name})
             << "\n";
  }
  return code;
}

// Stops a Watch on SIGINT/SIGTERM: the signals are blocked and a helper thread waits for
// them, so the engine is told from a normal thread, not from a signal handler.
class StopOnSignal {
 public:
  explicit StopOnSignal(sync::SyncEngine& engine) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    thread_ = std::thread([this, &engine] {
      int sig = 0;
      sigwait(&set_, &sig);
      engine.RequestStop();
    });
  }
  ~StopOnSignal() {
    pthread_kill(thread_.native_handle(), SIGUSR1);  // wakes the waiter if no signal came
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  sigset_t set_, old_;
  std::thread thread_;
};

}  // namespace

void PrintAssetRefusals(const CliContext& ctx, storage::Store& store,
                        const sync::AccountReport& report) {
  for (const auto& refusal : report.asset_refusals) {
    const auto local = store.FindAssignment(report.account, refusal.assignment);
    const std::string task = local ? std::to_string(local->id) : TerminalSafe(refusal.assignment);
    *ctx.err << "  " << AssetRefusalText(refusal, task) << "\n";
  }
}

ExitCode CmdSync(const CliContext& ctx, bool watch) {
  TerminalProgress progress(*ctx.err);
  sync::SyncEngine engine(ctx.data_dir,
                          ctx.EngineOptionsFor(ctx.stdout_is_tty ? &progress : nullptr));
  if (!watch) return PrintReport(ctx, engine.store(), engine.RunPass(true));
  *ctx.out << Tr("Syncing until interrupted (Ctrl-C)...") << "\n" << std::flush;
  StopOnSignal stop(engine);
  while (true) {
    try {
      engine.Watch();
      break;
    } catch (const storage::StoreError& e) {
      // A long-running watch outlives a busy or full disk: say so once, wait, go on.
      *ctx.err << "mano: " << TerminalSafe(TrFormat("The local store failed ({0}).", {e.what()}))
               << "\n";
    } catch (const sync::SyncError& e) {
      if (e.kind() != sync::SyncErrorKind::kStorage) throw;
      *ctx.err << "mano: " << TerminalSafe(TrFormat("The local store failed ({0}).", {e.what()}))
               << "\n";
    }
    for (int i = 0; i < 20 && !engine.stop_requested(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (engine.stop_requested()) break;
  }
  return ExitCode::kOk;
}

ExitCode CmdStatus(const CliContext& ctx, bool json) {
  storage::Store store = ctx.OpenStore();
  ExitCode code = ExitCode::kOk;
  sync::JsonOut out;
  out.StartArray();
  for (const auto& account : store.ListAccounts()) {
    storage::SyncState state = store.GetSyncState(account.name);
    storage::OutboxTotals outbox = store.OutboxStats(account.name);
    bool online = state.last_contact_ms > 0 && state.offline_since_ms == 0;
    auto server_now = store.ServerNow(account.name);
    // The three soonest deadlines of the work still open, from the lean listing (no task
    // payloads: 10,000 cached tasks cost what three do).
    storage::ListingQuery soonest;
    soonest.account = account.name;
    soonest.states = {storage::AssignmentState::kClaimed, storage::AssignmentState::kInProgress};
    soonest.order = storage::ListingOrder::kDeadline;
    soonest.with_title = false;
    soonest.limit = 3;
    std::vector<storage::AssignmentSummary> open = store.ListAssignmentSummaries(soonest).rows;
    if (state.auth_refused_ms) code = ExitCode::kAuth;  // a token refused: exit 4

    if (json) {
      out.StartObject();
      out.Field("account", account.name);
      out.Field("server", account.server_url);
      out.Field("online", online);
      out.Field("token_refused", state.auth_refused_ms != 0);
      out.Field("token_refused_since",
                state.auth_refused_ms ? FormatRfc3339(state.auth_refused_ms) : std::string());
      out.Field("offline_since",
                state.offline_since_ms ? FormatRfc3339(state.offline_since_ms) : std::string());
      out.Field("last_contact",
                state.last_contact_ms ? FormatRfc3339(state.last_contact_ms) : std::string());
      out.Field("next_retry",
                state.next_retry_ms ? FormatRfc3339(state.next_retry_ms) : std::string());
      out.Field("outbox_items", outbox.items);
      out.Field("outbox_bytes", outbox.bytes);
      out.Key("deadlines");
      out.StartArray();
      for (const auto& a : open) {
        out.StartObject();
        out.Field("id", std::to_string(a.id));
        out.Field("kind", a.kind);
        out.Field("deadline", FormatRfc3339(a.deadline_server_ms));
        if (server_now) out.Field("remaining_ms", a.deadline_server_ms - *server_now);
        out.EndObject();
      }
      out.EndArray();
      out.EndObject();
      continue;
    }
    if (state.auth_refused_ms) {
      // Not offline: the server answered and refused the token. Say what fixes it.
      *ctx.out << TerminalSafe(account.name) << " (" << TerminalSafe(account.server_url) << "): "
               << TrFormat("token refused since {0}", {FormatLocalTime(state.auth_refused_ms)})
               << "\n  "
               << TrFormat("Ask for a new token, then run: mano login --server {0} --name {1}",
                           {TerminalSafe(account.server_url), TerminalSafe(account.name)})
               << "\n";
    }
    std::string link =
        online ? std::string(Tr("online"))
        : state.offline_since_ms
            ? TrFormat("offline since {0}", {FormatLocalTime(state.offline_since_ms)})
            : std::string(Tr("not synced yet"));
    if (!state.auth_refused_ms)
      *ctx.out << TerminalSafe(account.name) << " (" << TerminalSafe(account.server_url)
               << "): " << link << "\n";
    *ctx.out << "  "
             << TrFormatN("outbox: {0} item, {1} bytes", "outbox: {0} items, {1} bytes",
                          static_cast<unsigned long>(outbox.items),
                          {std::to_string(outbox.items), std::to_string(outbox.bytes)})
             << "\n";
    if (state.next_retry_ms)
      *ctx.out << "  " << TrFormat("next retry: {0}", {FormatLocalTime(state.next_retry_ms)})
               << "\n";
    *ctx.out << "  "
             << TrFormat("last contact: {0}",
                         {state.last_contact_ms ? FormatLocalTime(state.last_contact_ms)
                                                : std::string(Tr("never"))})
             << "\n";
    for (const auto& a : open) {
      std::string left = server_now ? FormatDuration(a.deadline_server_ms - *server_now) : "?";
      *ctx.out << "  "
               << TrFormat("due: {0} {1} at {2} (left {3})",
                           {std::to_string(a.id), TerminalSafe(KindText(a.kind)),
                            FormatLocalTime(a.deadline_server_ms), left})
               << "\n";
    }
  }
  out.EndArray();
  if (json) *ctx.out << JsonForTerminal(out.Take()) << "\n";
  return code;
}

}  // namespace mano::client

// Ledger: the worker's own account of time and pay, computed from the local store (the
// assignments, the events the server sent, the receipts and the work journal).
//
// Each assignment has one outcome, from its state, its receipt and its events:
//   approved                  -> earned (its reward), dated by the approval event
//   rejected                  -> rejected (reward lost), dated by the rejection event; also
//                                a receipt refusing the answer (invalid, conflict, not_found)
//   returned / expired        -> lost, dated when the state changed; also a receipt
//                                refusing it as late (late_refused)
//   revoked / withdrawn       -> lost, dated when the state changed, listed with the reason
//                                the server or requester gave (LedgerReport::taken_back)
//   queued / accepted / late_accepted -> pending review, dated when submitted
//   claimed / in_progress     -> open: no money yet
// Bonus events add to earned; payment events are shown as paid out.
// Hours come from the journal's "active_time" entries (ActiveTimeTracker), dated by the
// entry: time on a task counts as paid when the assignment was approved, as pending while it
// is open or awaiting review, and as unpaid when it was rejected, returned, expired, revoked or
// withdrawn; time
// on the queue, on instructions and on other screens is always unpaid.
// Effective hourly wage = earned / all hours spent (paid + pending + unpaid): time on work
// still under review lowers it until the review comes. Rejection rate = rejected /
// (approved + rejected).
// Money stays in integer micro-units; rows in an account's currency, and an account paid in
// several currencies (each task and event says its own) has a row per currency, never a sum:
// the time spent on a task goes to its currency's row. The overall rows ("all") use the
// common currency; when rows use different currencies they are
// converted into the local currency (each amount rounded to a micro-unit) when the worker
// gave a rate for each, otherwise their money is marked unknown (hours still add up).
// Thread safety: pure computation over a Store the caller does not share meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mano/client/ledger/money.h"
#include "mano/storage/store.h"

namespace mano::client::ledger {

enum class Period { kDay, kWeek };
const char* PeriodName(Period period);  // "day", "week"

struct LedgerRow {
  std::string period;   // "2026-11-28" (day), "2026-W48" (ISO week), or "total"
  std::string account;  // an account name, or "all"
  std::string currency;
  bool money_known = true;  // false: "all" over several currencies without rates
  int64_t approved_micros = 0;
  int64_t bonus_micros = 0;
  int64_t pending_micros = 0;
  int64_t rejected_micros = 0;
  int64_t lost_micros = 0;  // returned or expired
  int64_t paid_out_micros = 0;
  int64_t approved = 0, rejected = 0, pending = 0, lost = 0;  // assignments
  int64_t paid_ms = 0, pending_ms = 0, unpaid_ms = 0;

  int64_t earned_micros() const { return approved_micros + bonus_micros; }
  int64_t total_ms() const { return paid_ms + pending_ms + unpaid_ms; }
  // "2.42" in `currency` per hour, "" when no time was spent or money is unknown.
  std::string HourlyWage() const;
  // The same in the local currency ("" when no rate).
  std::string LocalHourlyWage(const LocalCurrency& local) const;
  // "12.5" (percent, one decimal) or "" when nothing was decided.
  std::string RejectionRate() const;
};

// One decided rejection (or refusal), for the list beside the summary.
struct RejectionItem {
  std::string account;
  int64_t assignment_id = 0;  // local id
  std::string server_id;
  std::string kind;
  int64_t reward_micros = 0;
  std::string currency;
  int64_t time_ms = 0;  // when decided
  std::string day;      // its local date, "YYYY-MM-DD"
  std::string reason;   // what the server said
};

struct LedgerOptions {
  Period by = Period::kDay;
  std::string account;  // "" = every account
  LocalCurrency local;
  // Offset of local time from UTC at a given UTC instant, in ms; null = the system's zone
  // (localtime_r). Days and weeks are local.
  std::function<int64_t(int64_t utc_ms)> utc_offset_ms;
};

struct LedgerReport {
  Period by = Period::kDay;
  LocalCurrency local;
  // Per period ascending, then a "total" period last; within a period the "all" row first
  // and the accounts by name. Account rows appear when there are several accounts or one
  // was asked for; with --account only that account's rows.
  std::vector<LedgerRow> rows;
  std::vector<RejectionItem> rejections;  // newest first
  // Revoked or withdrawn assignments (their time unpaid), with the reason given; newest first.
  std::vector<RejectionItem> taken_back;
};

// Throws StoreError (kNotFound when options.account names no account).
LedgerReport ComputeLedger(storage::Store& store, const LedgerOptions& options);

// Period labels (exposed for tests and the UI): local "YYYY-MM-DD" and ISO "YYYY-Www".
std::string DayLabel(int64_t local_ms);
std::string WeekLabel(int64_t local_ms);
// Offset of the system's local zone from UTC at `utc_ms` (localtime_r's tm_gmtoff).
int64_t SystemUtcOffsetMs(int64_t utc_ms);

}  // namespace mano::client::ledger

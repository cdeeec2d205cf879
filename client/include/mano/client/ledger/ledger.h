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
// Hours are wall-clock time, derived from the journal's focus marks and state changes
// (work_time.h: WorkIntervals), each interval dated by its start: time on a task counts as
// paid when the assignment was approved, as pending while it is open or awaiting review, and
// as unpaid when it was rejected (or refused), returned, expired, revoked or withdrawn; time
// looking for work (the UI's queue, `mano claim`) is "searching". Idle intervals (longer than
// the idle limit, or asleep) are shown as idle_ms and left out of every other figure unless
// include_idle is set. Journals from before this kept "active_time" entries (a number of ms
// at the entry's time, paid or not): they still count, in the same way.
// Two wages: on paid time only (earned / paid hours) and on all time (earned / paid +
// pending + unpaid + searching hours, the "real" one): time on work still under review
// lowers the second until the review comes. Rejection rate = rejected / (approved + rejected).
// Per task kind (LedgerReport::kinds): the same over the whole ledger, one row per kind and
// currency, from the tasks of that kind and the time on them (no searching time, no bonuses).
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
#include "mano/client/ledger/work_time.h"
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
  int64_t searching_ms = 0;  // looking for work
  int64_t idle_ms = 0;       // idle intervals (also in the four above when idle is included)
  std::string kind;          // LedgerReport::kinds only: the task kind

  int64_t earned_micros() const { return approved_micros + bonus_micros; }
  int64_t total_ms() const { return paid_ms + pending_ms + unpaid_ms + searching_ms; }
  // "2.42" in `currency` per hour of all time, "" when no time was spent or money is unknown.
  std::string HourlyWage() const;
  // The same in the local currency ("" when no rate).
  std::string LocalHourlyWage(const LocalCurrency& local) const;
  // Per hour of paid time only ("" when none).
  std::string PaidHourlyWage() const;
  std::string LocalPaidHourlyWage(const LocalCurrency& local) const;
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
  // An interval without input (or journal activity) longer than this is idle (config
  // [ledger] idle_minutes); idle time counts in the hours only when include_idle.
  int64_t idle_limit_ms = kDefaultIdleLimitMs;
  bool include_idle = false;
};

struct LedgerReport {
  Period by = Period::kDay;
  LocalCurrency local;
  // Per period ascending, then a "total" period last; within a period the "all" row first
  // and the accounts by name. Account rows appear when there are several accounts or one
  // was asked for; with --account only that account's rows.
  std::vector<LedgerRow> rows;
  // Per task kind over the whole ledger (period "total"), by kind then currency.
  std::vector<LedgerRow> kinds;
  int64_t idle_limit_ms = kDefaultIdleLimitMs;
  bool include_idle = false;
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

#include "mano/client/ledger/ledger.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "json_payload.h"
#include "mano/client/time_format.h"
#include "mano/sync/json_util.h"
#include "mano/sync/sync_error.h"

namespace mano::client::ledger {
namespace {

using storage::AssignmentState;

constexpr const char* kAll = "all";
constexpr const char* kTotal = "total";

enum class Outcome { kOpen, kPending, kApproved, kRejected, kLost };

// The members of a row an assignment with each outcome adds its reward and itself to (an open
// one counts nowhere).
struct Tally {
  Outcome outcome;
  int64_t LedgerRow::*micros;
  int64_t LedgerRow::*assignments;
};
constexpr Tally kTallies[] = {
    {Outcome::kPending, &LedgerRow::pending_micros, &LedgerRow::pending},
    {Outcome::kApproved, &LedgerRow::approved_micros, &LedgerRow::approved},
    {Outcome::kRejected, &LedgerRow::rejected_micros, &LedgerRow::rejected},
    {Outcome::kLost, &LedgerRow::lost_micros, &LedgerRow::lost},
};

struct Decision {
  int64_t time_ms = 0;
  std::string reason;
};

struct StateChange {
  int64_t time_ms = 0;
  std::string to;
  std::string reason;
};

struct MoneyEvent {
  std::string account;
  std::string currency;
  int64_t amount = 0;
  int64_t time_ms = 0;
  bool bonus = false;
};

struct AssignmentFacts {
  Outcome outcome = Outcome::kOpen;
  std::string account;
  std::string currency;
  int64_t reward = 0;
  int64_t time_ms = 0;
};

using internal::WithJson;

class Builder {
 public:
  Builder(storage::Store& store, const LedgerOptions& options) : store_(store), options_(options) {}

  LedgerReport Build();

 private:
  int64_t Local(int64_t utc_ms) const {
    return utc_ms +
           (options_.utc_offset_ms ? options_.utc_offset_ms(utc_ms) : SystemUtcOffsetMs(utc_ms));
  }
  std::string Label(int64_t utc_ms) const {
    return options_.by == Period::kDay ? DayLabel(Local(utc_ms)) : WeekLabel(Local(utc_ms));
  }
  // Applies `f` to the account's row in `currency` (the account's when empty) for the period
  // of `utc_ms` and to its total row: an account paid in two currencies has a row for each,
  // never one sum. An account of "" (queue time) goes to the overall rows only.
  template <class F>
  void Add(const std::string& account, std::string currency, int64_t utc_ms, F&& f) {
    if (currency.empty()) {
      auto c = currency_.find(account);
      if (c != currency_.end()) currency = c->second;
    }
    for (const std::string& period : {Label(utc_ms), std::string(kTotal)}) {
      LedgerRow& row = account.empty() ? shared_[period] : rows_[{period, account, currency}];
      if (row.period.empty()) {
        row.period = period;
        row.account = account.empty() ? kAll : account;
        row.currency = account.empty() ? std::string() : currency;
      }
      f(row);
    }
  }
  void ScanJournal();
  void ScanEvents();
  void ClassifyAssignments();
  void AddHours();
  // Adds `ms` of time to a row: to idle_ms when idle, and to its category unless idle and
  // idle is left out.
  void AddTime(LedgerRow& row, std::optional<Outcome> task_outcome, int64_t ms, bool idle) const;
  LedgerRow& KindRow(int64_t assignment_id);
  LedgerRow Overall(const std::string& period, const std::vector<const LedgerRow*>& parts) const;

  storage::Store& store_;
  const LedgerOptions& options_;
  std::map<std::string, std::string> currency_;  // account -> currency
  std::map<int64_t, std::vector<StateChange>> changes_;
  std::vector<storage::JournalEntry> active_;    // legacy "active_time" entries
  std::vector<storage::JournalEntry> timeline_;  // focus marks and state changes
  std::map<std::pair<std::string, std::string>, Decision> approved_, rejected_;
  std::vector<MoneyEvent> money_;
  std::map<int64_t, Outcome> outcome_;                              // local id -> outcome
  std::map<int64_t, std::string> assignment_currency_;              // local id -> currency
  std::map<int64_t, std::string> assignment_kind_;                  // local id -> kind
  std::map<std::pair<std::string, std::string>, LedgerRow> kinds_;  // (kind, currency)
  // (period, account, currency)
  std::map<std::tuple<std::string, std::string, std::string>, LedgerRow> rows_;
  std::map<std::string, LedgerRow> shared_;  // queue time per period
  std::vector<RejectionItem> rejections_;
  std::vector<RejectionItem> taken_back_;  // revoked or withdrawn
  bool Wanted(const std::string& account) const {
    return options_.account.empty() || options_.account == account;
  }
};

void Builder::ScanJournal() {
  store_.ForEachJournalEntry([&](storage::JournalEntry& e) {
    if (e.type == "active_time") {
      active_.push_back(std::move(e));
    } else if (e.type == "state" && e.assignment_id) {
      WithJson(e.payload, [&](const sync::JsonIn& in) {
        changes_[*e.assignment_id].push_back(
            StateChange{e.time_ms, in.StrOr("to", ""), in.StrOr("reason", "")});
      });
      timeline_.push_back(std::move(e));
    } else if (e.type == kFocusEntry) {
      timeline_.push_back(std::move(e));
    }
  });
}

void Builder::ScanEvents() {
  for (const auto& entry : currency_) {
    // Named copies, not structured bindings: lambdas below capture them (Clang 14, which
    // builds the fuzz targets, does not capture structured bindings).
    const std::string& account = entry.first;
    const std::string& currency = entry.second;
    store_.ForEachEvent(account, [&](const storage::Event& e) {
      WithJson(e.payload, [&](const sync::JsonIn& in) {
        const int64_t t = in.IntOr("t", e.server_time_ms);
        if (e.type == "approved" && !e.assignment_server_id.empty()) {
          approved_[{account, e.assignment_server_id}] = Decision{t, ""};
        } else if (e.type == "rejected" && !e.assignment_server_id.empty()) {
          rejected_[{account, e.assignment_server_id}] = Decision{t, in.StrOr("reason", "")};
        } else if (e.type == "bonus" || e.type == "payment") {
          money_.push_back(MoneyEvent{account, in.StrOr("currency", currency),
                                      in.IntOr("amount", 0), t, e.type == "bonus"});
        }
      });
    });
  }
}

void Builder::ClassifyAssignments() {
  for (const auto& a : store_.ListAssignments()) {
    AssignmentFacts f;
    f.account = a.account;
    f.currency = a.currency.empty() ? currency_[a.account] : a.currency;
    f.reward = a.reward_micros;
    f.time_ms = a.updated_ms;
    std::string reason;
    bool taken_back = false;
    // When the assignment last entered a state (the journal), a fallback date.
    auto entered = [&](std::initializer_list<const char*> states) {
      auto it = changes_.find(a.id);
      if (it == changes_.end()) return;
      for (auto c = it->second.rbegin(); c != it->second.rend(); ++c) {
        for (const char* s : states) {
          if (c->to == s) {
            f.time_ms = c->time_ms;
            if (reason.empty()) reason = c->reason;
            return;
          }
        }
      }
    };
    switch (a.state) {
      case AssignmentState::kApproved: {
        f.outcome = Outcome::kApproved;
        entered({"approved"});
        auto d = approved_.find({a.account, a.server_id});
        if (d != approved_.end()) f.time_ms = d->second.time_ms;
        break;
      }
      case AssignmentState::kRejected: {
        f.outcome = Outcome::kRejected;
        entered({"rejected"});
        auto d = rejected_.find({a.account, a.server_id});
        if (d != rejected_.end()) {
          f.time_ms = d->second.time_ms;
          if (!d->second.reason.empty()) reason = d->second.reason;
        }
        break;
      }
      case AssignmentState::kReturned:
      case AssignmentState::kExpired:
        f.outcome = Outcome::kLost;
        entered({"returned", "expired"});
        break;
      case AssignmentState::kRevoked:
      case AssignmentState::kWithdrawn:
        // Taken back by the server or the requester: the time on it is unpaid, for the
        // reason they gave.
        f.outcome = Outcome::kLost;
        entered({"revoked", "withdrawn"});
        reason = a.state_reason;
        taken_back = true;
        break;
      case AssignmentState::kClaimed:
      case AssignmentState::kInProgress:
        f.outcome = Outcome::kOpen;
        break;
      case AssignmentState::kQueued:
      case AssignmentState::kAccepted:
      case AssignmentState::kLateAccepted:
        f.outcome = Outcome::kPending;
        entered({"queued"});
        break;
      case AssignmentState::kLateRefused:
      case AssignmentState::kConflict:
      case AssignmentState::kInvalid:
      case AssignmentState::kNotFound: {
        // A refusing receipt: late work is lost, the others count as rejected.
        f.outcome = a.state == AssignmentState::kLateRefused ? Outcome::kLost : Outcome::kRejected;
        entered({"queued"});
        reason = a.state_reason.empty() ? std::string(storage::ToString(a.state)) : a.state_reason;
        if (auto r = store_.GetReceipt(a.id)) f.time_ms = r->server_time_ms;
        break;
      }
    }
    outcome_[a.id] = f.outcome;
    assignment_currency_[a.id] = f.currency;
    assignment_kind_[a.id] = a.kind;
    if (!Wanted(a.account) || f.outcome == Outcome::kOpen) continue;
    const auto count = [&](LedgerRow& row) {
      for (const Tally& tally : kTallies) {
        if (tally.outcome != f.outcome) continue;
        row.*tally.micros += f.reward;
        ++(row.*tally.assignments);
      }
    };
    Add(a.account, f.currency, f.time_ms, count);
    count(KindRow(a.id));
    if (f.outcome == Outcome::kRejected || taken_back)
      (taken_back ? taken_back_ : rejections_)
          .push_back(RejectionItem{a.account, a.id, a.server_id, a.kind, f.reward, f.currency,
                                   f.time_ms, DayLabel(Local(f.time_ms)), reason});
  }
  for (const auto& m : money_) {
    if (!Wanted(m.account)) continue;
    Add(m.account, m.currency, m.time_ms,
        [&](LedgerRow& row) { (m.bonus ? row.bonus_micros : row.paid_out_micros) += m.amount; });
  }
}

LedgerRow& Builder::KindRow(int64_t assignment_id) {
  const std::string& kind = assignment_kind_[assignment_id];
  const std::string& currency = assignment_currency_[assignment_id];
  LedgerRow& row = kinds_[{kind, currency}];
  if (row.period.empty()) {
    row.period = kTotal;
    row.account = options_.account.empty() ? kAll : options_.account;
    row.currency = currency;
    row.kind = kind;
  }
  return row;
}

void Builder::AddTime(LedgerRow& row, std::optional<Outcome> task_outcome, int64_t ms,
                      bool idle) const {
  if (idle) row.idle_ms += ms;
  if (idle && !options_.include_idle) return;
  if (!task_outcome)
    row.searching_ms += ms;
  else if (*task_outcome == Outcome::kApproved)
    row.paid_ms += ms;
  else if (*task_outcome == Outcome::kPending || *task_outcome == Outcome::kOpen)
    row.pending_ms += ms;
  else
    row.unpaid_ms += ms;
}

void Builder::AddHours() {
  auto counted = [&](const std::string& account) {
    if (account.empty()) return options_.account.empty();
    return Wanted(account) && currency_.count(account) > 0;
  };
  auto outcome_of = [&](std::optional<int64_t> id) {
    auto it = id ? outcome_.find(*id) : outcome_.end();
    return it == outcome_.end() ? Outcome::kRejected : it->second;  // unknown: unpaid
  };
  auto currency_of = [&](std::optional<int64_t> id) {
    auto it = id ? assignment_currency_.find(*id) : assignment_currency_.end();
    return it == assignment_currency_.end() ? std::string() : it->second;
  };
  for (const auto& e : active_) {  // journals from before work time was wall-clock
    if (!counted(e.account)) continue;
    int64_t ms = 0;
    bool paid = false;
    WithJson(e.payload, [&](const sync::JsonIn& in) {
      ms = in.IntOr("ms", 0);
      paid = in.BoolOr("paid", false);
    });
    if (ms <= 0) continue;
    const Outcome outcome =
        paid && e.assignment_id ? outcome_of(e.assignment_id) : Outcome::kRejected;
    Add(e.account, currency_of(e.assignment_id), e.time_ms,
        [&](LedgerRow& row) { AddTime(row, outcome, ms, false); });
    if (paid && e.assignment_id && assignment_kind_.count(*e.assignment_id))
      AddTime(KindRow(*e.assignment_id), outcome, ms, false);
  }
  for (const auto& w : WorkIntervals(timeline_, options_.idle_limit_ms)) {
    if (!counted(w.account)) continue;
    std::optional<Outcome> outcome;
    if (w.on == FocusOn::kTask) outcome = outcome_of(w.assignment_id);
    Add(w.account, currency_of(w.assignment_id), w.start_ms,
        [&](LedgerRow& row) { AddTime(row, outcome, w.ms(), w.idle); });
    if (w.on == FocusOn::kTask && w.assignment_id && assignment_kind_.count(*w.assignment_id))
      AddTime(KindRow(*w.assignment_id), outcome, w.ms(), w.idle);
  }
}

LedgerRow Builder::Overall(const std::string& period,
                           const std::vector<const LedgerRow*>& parts) const {
  LedgerRow all;
  all.period = period;
  all.account = kAll;
  std::set<std::string> currencies;
  // Rows with money in them decide the currency; one with time alone does not.
  for (const LedgerRow* p : parts)
    if (p->account != kAll && !p->currency.empty() &&
        (p->approved + p->rejected + p->pending + p->lost > 0 || p->bonus_micros != 0 ||
         p->paid_out_micros != 0))
      currencies.insert(p->currency);
  for (const auto& [account, currency] : currency_)
    if (currencies.empty() && !currency.empty()) all.currency = currency;
  std::optional<std::string> convert_to;
  if (currencies.size() == 1) {
    all.currency = *currencies.begin();
  } else if (currencies.size() > 1) {
    bool covered = true;
    for (const auto& c : currencies) covered = covered && options_.local.RateFor(c).has_value();
    if (covered) {
      convert_to = options_.local.currency;
      all.currency = options_.local.currency;
    } else {
      all.money_known = false;
      all.currency.clear();
    }
  }
  for (const LedgerRow* p : parts) {
    auto money = [&](int64_t micros) -> int64_t {
      if (!convert_to || p->account == kAll) return micros;
      const Rate r = *options_.local.RateFor(p->currency);
      const __int128 n = static_cast<__int128>(micros) * r.num;
      __int128 q = n / r.den, rem = n % r.den;
      if ((rem < 0 ? -rem : rem) * 2 >= r.den) q += n < 0 ? -1 : 1;
      return static_cast<int64_t>(q);
    };
    if (all.money_known) {
      all.approved_micros += money(p->approved_micros);
      all.bonus_micros += money(p->bonus_micros);
      all.pending_micros += money(p->pending_micros);
      all.rejected_micros += money(p->rejected_micros);
      all.lost_micros += money(p->lost_micros);
      all.paid_out_micros += money(p->paid_out_micros);
    }
    all.approved += p->approved;
    all.rejected += p->rejected;
    all.pending += p->pending;
    all.lost += p->lost;
    all.paid_ms += p->paid_ms;
    all.pending_ms += p->pending_ms;
    all.unpaid_ms += p->unpaid_ms;
    all.searching_ms += p->searching_ms;
    all.idle_ms += p->idle_ms;
  }
  return all;
}

LedgerReport Builder::Build() {
  for (const auto& account : store_.ListAccounts()) currency_[account.name] = account.currency;
  if (!options_.account.empty() && !currency_.count(options_.account))
    throw storage::StoreError(storage::StoreError::Kind::kNotFound,
                              "There is no account named '" + options_.account + "'.");
  ScanJournal();
  ScanEvents();
  ClassifyAssignments();
  AddHours();

  std::map<std::string, std::vector<const LedgerRow*>> by_period;
  std::set<std::pair<std::string, std::string>> columns;  // (account, currency)
  for (const auto& [key, row] : rows_) {
    by_period[std::get<0>(key)].push_back(&row);
    columns.insert({std::get<1>(key), std::get<2>(key)});
  }
  for (const auto& [period, row] : shared_) by_period[period].push_back(&row);

  LedgerReport report;
  report.by = options_.by;
  report.local = options_.local;
  report.idle_limit_ms = options_.idle_limit_ms;
  report.include_idle = options_.include_idle;
  for (auto& [key, row] : kinds_) report.kinds.push_back(std::move(row));
  const bool per_account =
      !options_.account.empty() || currency_.size() >= 2 || columns.size() >= 2;
  auto emit = [&](const std::string& period, const std::vector<const LedgerRow*>& parts) {
    if (options_.account.empty()) report.rows.push_back(Overall(period, parts));
    if (!per_account) return;
    for (const LedgerRow* p : parts)
      if (p->account != kAll) report.rows.push_back(*p);
  };
  for (const auto& [period, parts] : by_period)
    if (period != kTotal) emit(period, parts);
  if (auto total = by_period.find(kTotal); total != by_period.end())
    emit(kTotal, total->second);
  else
    emit(kTotal, {});
  const auto newest_first = [](const RejectionItem& a, const RejectionItem& b) {
    return a.time_ms != b.time_ms ? a.time_ms > b.time_ms : a.assignment_id > b.assignment_id;
  };
  std::sort(rejections_.begin(), rejections_.end(), newest_first);
  std::sort(taken_back_.begin(), taken_back_.end(), newest_first);
  report.rejections = std::move(rejections_);
  report.taken_back = std::move(taken_back_);
  return report;
}

}  // namespace

const char* PeriodName(Period period) { return period == Period::kDay ? "day" : "week"; }

namespace {

// earned per hour of `ms`, in `currency` (the row's) or through `local`'s rate.
std::string Wage(const LedgerRow& row, int64_t ms) {
  if (!row.money_known || ms <= 0) return {};
  return FormatScaled(static_cast<__int128>(row.earned_micros()) * 3'600'000, ms,
                      CurrencyDecimals(row.currency));
}

std::string LocalWage(const LedgerRow& row, int64_t ms, const LocalCurrency& local) {
  if (!row.money_known || ms <= 0) return {};
  auto rate = local.RateFor(row.currency);
  if (!rate) return {};
  return FormatScaled(static_cast<__int128>(row.earned_micros()) * 3'600'000 * rate->num,
                      static_cast<__int128>(ms) * rate->den, CurrencyDecimals(local.currency));
}

}  // namespace

std::string LedgerRow::HourlyWage() const { return Wage(*this, total_ms()); }

std::string LedgerRow::LocalHourlyWage(const LocalCurrency& local) const {
  return LocalWage(*this, total_ms(), local);
}

std::string LedgerRow::PaidHourlyWage() const { return Wage(*this, paid_ms); }

std::string LedgerRow::LocalPaidHourlyWage(const LocalCurrency& local) const {
  return LocalWage(*this, paid_ms, local);
}

std::string LedgerRow::RejectionRate() const {
  const int64_t decided = approved + rejected;
  if (decided <= 0) return {};
  // percent with one decimal: FormatScaled works in micro-units, so scale by 10^6.
  return FormatScaled(static_cast<__int128>(rejected) * 100 * 1'000'000, decided, 1);
}

LedgerReport ComputeLedger(storage::Store& store, const LedgerOptions& options) {
  return Builder(store, options).Build();
}

std::string DayLabel(int64_t local_ms) { return FormatRfc3339(local_ms).substr(0, 10); }

std::string WeekLabel(int64_t local_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>{milliseconds{local_ms}});
  // ISO 8601: a week runs Monday to Sunday and belongs to the year of its Thursday.
  const sys_days thursday = day - (weekday{day} - Monday) + days{3};
  const year iso_year = year_month_day{thursday}.year();
  const auto week = (thursday - sys_days{iso_year / January / 1}).count() / 7 + 1;
  char label[16];
  std::snprintf(label, sizeof label, "%04d-W%02d", static_cast<int>(iso_year),
                static_cast<int>(week));
  return label;
}

int64_t SystemUtcOffsetMs(int64_t utc_ms) {
  const std::time_t t = static_cast<std::time_t>(
      std::chrono::floor<std::chrono::seconds>(std::chrono::milliseconds{utc_ms}).count());
  std::tm tm{};
  if (!localtime_r(&t, &tm)) return 0;
  return static_cast<int64_t>(tm.tm_gmtoff) * 1000;
}

}  // namespace mano::client::ledger

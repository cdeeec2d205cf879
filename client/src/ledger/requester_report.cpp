#include "mano/client/ledger/requester_report.h"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "json_payload.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/ledger.h"
#include "mano/client/ledger/ledger_format.h"
#include "mano/client/ledger/money.h"
#include "mano/client/ledger/work_time.h"
#include "mano/client/terminal_text.h"
#include "mano/client/text_table.h"
#include "mano/sync/csv_cell.h"
#include "mano/sync/json_util.h"
#include "mano/sync/messages.h"
#include "mano/sync/sync_error.h"

namespace mano::client::ledger {
namespace {

using storage::AssignmentState;

constexpr int64_t kDayMs = 86'400'000;

using internal::WithJson;

// "12.5": part / whole as a percentage with one decimal; "" when whole is 0.
std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "";
  return FormatScaled(static_cast<__int128>(part) * 100 * 1'000'000, whole, 1);
}

// The median of `ms` in days with one decimal; "" when empty.
std::string MedianDays(std::vector<int64_t> ms) {
  if (ms.empty()) return "";
  std::sort(ms.begin(), ms.end());
  const size_t n = ms.size();
  const __int128 twice = n % 2 ? 2 * static_cast<__int128>(ms[n / 2])
                               : static_cast<__int128>(ms[n / 2 - 1]) + ms[n / 2];
  return FormatScaled(twice * 1'000'000, 2 * kDayMs, 1);
}

bool Submitted(AssignmentState s) {
  switch (s) {
    case AssignmentState::kClaimed:
    case AssignmentState::kInProgress:
    case AssignmentState::kReturned:
    case AssignmentState::kExpired:
    case AssignmentState::kRevoked:
    case AssignmentState::kWithdrawn:
      return false;
    default:
      return true;
  }
}

struct Cell {
  std::string name;
  bool number;
  std::string value;
};

std::string ReasonsText(const RequesterRow& row) {
  std::string out;
  for (const auto& [reason, count] : row.reasons)
    out += (out.empty() ? "" : " | ") + std::to_string(count) + " x " + reason;
  return out;
}

// The figures of a row. None names the worker (the share writes them all): a member added
// here must not either.
std::vector<Cell> CellsOf(const RequesterRow& r) {
  return {{"requester_id", false, r.id},
          {"requester_name", false, r.name},
          {"currency", false, r.currency},
          {"done", true, std::to_string(r.done)},
          {"approved", true, std::to_string(r.approved)},
          {"rejected", true, std::to_string(r.rejected)},
          {"late_refused", true, std::to_string(r.late_refused)},
          {"pending", true, std::to_string(r.pending)},
          {"earned", false, FormatAmount(r.earned_micros, r.currency)},
          {"earned_micros", true, std::to_string(r.earned_micros)},
          {"bonus", false, FormatAmount(r.bonus_micros, r.currency)},
          {"bonus_micros", true, std::to_string(r.bonus_micros)},
          {"work_ms", true, std::to_string(r.work_ms)},
          {"hourly_wage", false, r.HourlyWage()},
          {"rejection_rate_percent", false, r.RejectionRate()},
          {"late_refusal_percent", false, r.LateRefusalRate()},
          {"median_days_to_approval", false, r.MedianDaysToApproval()},
          {"median_days_to_payment", false, r.MedianDaysToPayment()}};
}

void RowJson(sync::JsonOut& out, const RequesterRow& r) {
  out.StartObject();
  for (const auto& c : CellsOf(r)) {
    out.Key(c.name);
    if (c.number)
      out.Int(std::stoll(c.value));
    else
      out.String(c.value);
  }
  out.Key("reasons");
  out.StartArray();
  for (const auto& [reason, count] : r.reasons) {
    out.StartObject();
    out.Field("reason", reason);
    out.Field("count", count);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

}  // namespace

std::string RequesterRow::HourlyWage() const {
  if (work_ms <= 0) return "";
  return FormatScaled(static_cast<__int128>(earned_micros) * 3'600'000, work_ms,
                      CurrencyDecimals(currency));
}
std::string RequesterRow::RejectionRate() const { return Percent(rejected, approved + rejected); }
std::string RequesterRow::LateRefusalRate() const { return Percent(late_refused, done); }
std::string RequesterRow::MedianDaysToApproval() const { return MedianDays(to_approval_ms); }
std::string RequesterRow::MedianDaysToPayment() const { return MedianDays(to_payment_ms); }

namespace {

// One pass over the journal: the time on each assignment, when each was first queued, and the
// reason recorded with its rejection.
struct JournalFacts {
  std::map<int64_t, int64_t> time_ms, queued_at;
  std::map<int64_t, std::string> rejection_reason;
};
// Time per task is the ledger's: wall-clock time from the journal's focus marks
// (WorkIntervals, idle intervals left out), plus the "active_time" entries of journals
// written before those marks existed.
void ScanJournal(storage::Store& store, JournalFacts& facts) {
  std::vector<storage::JournalEntry> timeline;  // focus marks and state changes
  store.ForEachJournalEntry([&](storage::JournalEntry& e) {
    if (e.type == kFocusEntry) {
      timeline.push_back(std::move(e));
      return;
    }
    if (!e.assignment_id) return;
    const int64_t id = *e.assignment_id;
    if (e.type == "active_time") {
      WithJson(e.payload, [&](const sync::JsonIn& in) {
        const int64_t ms = in.IntOr("ms", 0);
        if (ms > 0) facts.time_ms[id] += ms;
      });
    } else if (e.type == "state") {
      WithJson(e.payload, [&](const sync::JsonIn& in) {
        const std::string to = in.StrOr("to", "");
        if (to == "queued" && !facts.queued_at.count(id)) facts.queued_at[id] = e.time_ms;
        if (to == "rejected") facts.rejection_reason[id] = in.StrOr("reason", "");
      });
      timeline.push_back(std::move(e));
    }
  });
  for (const auto& w : WorkIntervals(timeline)) {
    if (w.on == FocusOn::kTask && w.assignment_id && !w.idle)
      facts.time_ms[*w.assignment_id] += w.ms();
  }
}

}  // namespace

std::map<int64_t, int64_t> TaskTimeMs(storage::Store& store) {
  JournalFacts facts;
  ScanJournal(store, facts);
  return facts.time_ms;
}

RequesterReport ComputeRequesters(storage::Store& store) {
  // Time per task, and the journal's submit times (a fallback for the receipt's).
  JournalFacts journal;
  ScanJournal(store, journal);
  const auto& time = journal.time_ms;
  const auto& queued_at = journal.queued_at;
  // (requester id, currency) -> row; (account, server id) -> that key and the submit time.
  std::map<std::pair<std::string, std::string>, RequesterRow> rows;
  struct Known {
    std::pair<std::string, std::string> key;
    int64_t submitted_ms = 0;
    bool rejected = false;
    std::string reason;  // the state's; the rejected event's words replace it
  };
  std::map<std::pair<std::string, std::string>, Known> by_server_id;
  std::map<std::string, int64_t> name_seen;  // requester id -> newest assignment id naming it
  std::set<std::string> accounts;
  for (const auto& a : store.ListAssignments()) {
    accounts.insert(a.account);
    std::optional<sync::Requester> requester;
    WithJson(a.payload, [&](const sync::JsonIn& in) {
      if (auto r = in.OptMember("requester")) {
        try {
          requester = sync::Requester::Read(*r);
        } catch (const sync::SyncError&) {
        }
      }
    });
    const std::pair<std::string, std::string> key{requester ? requester->id : "", a.currency};
    RequesterRow& row = rows[key];
    row.id = key.first;
    row.currency = a.currency;
    if (requester && a.id >= name_seen[requester->id]) {
      name_seen[requester->id] = a.id;
      row.name = requester->name;
    }
    if (auto t = time.find(a.id); t != time.end()) row.work_ms += t->second;
    int64_t submitted = 0;
    if (Submitted(a.state)) {
      ++row.done;
      if (auto q = queued_at.find(a.id); q != queued_at.end()) submitted = q->second;
      if (auto r = store.GetReceipt(a.id)) submitted = r->server_time_ms;
    }
    switch (a.state) {
      case AssignmentState::kApproved:
        ++row.approved;
        row.earned_micros += a.reward_micros;
        break;
      case AssignmentState::kRejected:
        ++row.rejected;
        break;
      case AssignmentState::kLateRefused:
        ++row.late_refused;
        break;
      case AssignmentState::kQueued:
      case AssignmentState::kAccepted:
      case AssignmentState::kLateAccepted:
        ++row.pending;
        break;
      default:
        break;
    }
    std::string reason = a.state_reason;
    if (auto j = journal.rejection_reason.find(a.id);
        j != journal.rejection_reason.end() && !j->second.empty())
      reason = j->second;
    by_server_id[{a.account, a.server_id}] =
        Known{key, submitted, a.state == AssignmentState::kRejected, reason};
  }
  // The server's events: approval and payment times, bonuses, the reason of a rejection.
  for (const auto& account : accounts) {
    store.ForEachEvent(account, [&](const storage::Event& e) {
      const auto known = by_server_id.find({account, e.assignment_server_id});
      if (e.assignment_server_id.empty() || known == by_server_id.end()) return;
      RequesterRow& row = rows[known->second.key];
      const int64_t submitted = known->second.submitted_ms;
      WithJson(e.payload, [&](const sync::JsonIn& in) {
        const int64_t t = in.IntOr("t", e.server_time_ms);
        if (e.type == "approved" && submitted > 0) {
          row.to_approval_ms.push_back(std::max<int64_t>(0, t - submitted));
        } else if (e.type == "payment" && submitted > 0) {
          row.to_payment_ms.push_back(std::max<int64_t>(0, t - submitted));
        } else if (e.type == "rejected" && in.Has("reason")) {
          known->second.reason = in.StrOr("reason", "");
        } else if (e.type == "bonus") {
          const int64_t amount = in.IntOr("amount", 0);
          row.bonus_micros += amount;
          row.earned_micros += amount;
        }
      });
    });
  }
  for (const auto& [id, known] : by_server_id)
    if (known.rejected && !known.reason.empty()) ++rows[known.key].reasons[known.reason];
  RequesterReport report;
  for (auto& [key, row] : rows) report.rows.push_back(std::move(row));
  std::sort(report.rows.begin(), report.rows.end(), [](const auto& x, const auto& y) {
    return std::tie(x.name, x.id, x.currency) < std::tie(y.name, y.id, y.currency);
  });
  return report;
}

std::string RenderRequestersText(const RequesterReport& report, int width) {
  if (report.rows.empty()) return std::string(Tr("No work for any requester yet.")) + "\n";
  std::ostringstream out;
  out << Tr("Requesters, from your own record") << "\n";
  const auto R = TextTable::Align::kRight;
  TextTable table({{Tr("Requester"), TextTable::Align::kLeft, true, 8},
                   {Tr("Cur.")},
                   {Tr("Done"), R},
                   {Tr("Per hour"), R},
                   {Tr("Rej. %"), R},
                   {Tr("Late %"), R},
                   {Tr("To appr."), R},
                   {Tr("To pay"), R},
                   {Tr("Bonus"), R}});
  auto who = [](const RequesterRow& r) {
    if (r.id.empty()) return std::string(Tr("(not named)"));
    return TerminalSafe(r.name.empty() ? r.id : r.name + " (" + r.id + ")");
  };
  for (const auto& r : report.rows)
    table.AddRow({who(r), r.currency, std::to_string(r.done), r.HourlyWage(), r.RejectionRate(),
                  r.LateRefusalRate(), r.MedianDaysToApproval(), r.MedianDaysToPayment(),
                  FormatAmount(r.bonus_micros, r.currency)});
  out << table.Render(width);
  out << Tr("To appr., To pay: median days from submitting to approval, to payment.") << "\n"
      << Tr("Per hour: earnings over all the time spent on its tasks.") << "\n";
  bool any = false;
  for (const auto& r : report.rows) {
    if (r.reasons.empty()) continue;
    if (!any) out << "\n" << Tr("Reasons given for rejections") << "\n";
    any = true;
    out << who(r) << "\n";
    for (const auto& [reason, count] : r.reasons)
      out << "  " << count << " x " << TerminalSafe(reason) << "\n";
  }
  return out.str();
}

std::string RequestersCsv(const RequesterReport& report) {
  std::ostringstream out;
  bool header = true;
  for (const auto& r : report.rows) {
    auto cells = CellsOf(r);
    cells.push_back({"reasons", false, ReasonsText(r)});
    if (header) {
      for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << cells[i].name;
      out << "\n";
      header = false;
    }
    for (size_t i = 0; i < cells.size(); ++i)
      out << (i ? "," : "") << sync::CsvCell(TerminalSafe(cells[i].value));
    out << "\n";
  }
  return out.str();
}

namespace {

// {<head members>, "requesters":[rows]}: the export, and the share with its own head.
std::string ReportJson(const RequesterReport& report, const std::vector<Cell>& head) {
  sync::JsonOut out;
  out.StartObject();
  for (const auto& c : head) out.Field(c.name, c.value);
  out.Key("requesters");
  out.StartArray();
  for (const auto& r : report.rows) RowJson(out, r);
  out.EndArray();
  out.EndObject();
  return out.Take() + "\n";
}

}  // namespace

std::string RequestersJson(const RequesterReport& report) { return ReportJson(report, {}); }

std::string RequestersShare(const RequesterReport& report, int64_t now_ms) {
  // The day in UTC: the worker's time zone says where she lives.
  return ReportJson(
      report, {{"format", false, "mano-requesters-share-v1"}, {"day", false, DayLabel(now_ms)}});
}

}  // namespace mano::client::ledger

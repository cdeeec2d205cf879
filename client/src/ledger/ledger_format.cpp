#include "mano/client/ledger/ledger_format.h"

#include <functional>
#include <iterator>
#include <set>
#include <sstream>
#include <utility>

#include "mano/client/i18n.h"
#include "mano/client/terminal_text.h"
#include "mano/client/text_table.h"
#include "mano/client/time_format.h"
#include "mano/sync/csv_cell.h"
#include "mano/sync/json_util.h"

namespace mano::client::ledger {
namespace {

// One named cell of a row: the CSV header and the JSON key are the same name.
struct Cell {
  std::string name;
  bool number;        // JSON: integer (else string)
  std::string value;  // text; for numbers the decimal digits ("" = unknown / null)
};

std::vector<Cell> CellsOf(const LedgerRow& row, const LocalCurrency& local) {
  const bool m = row.money_known;
  auto amount = [&](int64_t micros) { return m ? FormatAmount(micros, row.currency) : ""; };
  auto micros = [&](int64_t v) { return m ? std::to_string(v) : ""; };
  const std::string local_earned = m ? local.Format(row.earned_micros(), row.currency) : "";
  // Each sum twice: in its currency (`earned`), then in micro-units (`earned_micros`).
  const std::pair<const char*, int64_t> sums[] = {
      {"earned", row.earned_micros()},   {"approved", row.approved_micros},
      {"bonus", row.bonus_micros},       {"pending", row.pending_micros},
      {"rejected", row.rejected_micros}, {"lost", row.lost_micros},
      {"paid_out", row.paid_out_micros},
  };
  std::vector<Cell> cells = {
      {"period", false, row.period},
      {"account", false, row.account},
      {"currency", false, row.currency},
  };
  for (const auto& [name, v] : sums) cells.push_back({name, false, amount(v)});
  for (const auto& [name, v] : sums)
    cells.push_back({std::string(name) + "_micros", true, micros(v)});
  const Cell rest[] = {
      {"approved_count", true, std::to_string(row.approved)},
      {"rejected_count", true, std::to_string(row.rejected)},
      {"pending_count", true, std::to_string(row.pending)},
      {"lost_count", true, std::to_string(row.lost)},
      {"paid_ms", true, std::to_string(row.paid_ms)},
      {"pending_ms", true, std::to_string(row.pending_ms)},
      {"unpaid_ms", true, std::to_string(row.unpaid_ms)},
      {"total_ms", true, std::to_string(row.total_ms())},
      {"hourly_wage", false, row.HourlyWage()},
      {"rejection_rate_percent", false, row.RejectionRate()},
      {"local_currency", false, local_earned.empty() ? "" : local.currency},
      {"local_earned", false, local_earned},
      {"local_hourly_wage", false, row.LocalHourlyWage(local)},
      {"searching_ms", true, std::to_string(row.searching_ms)},
      {"idle_ms", true, std::to_string(row.idle_ms)},
      {"paid_hourly_wage", false, row.PaidHourlyWage()},
      {"local_paid_hourly_wage", false, row.LocalPaidHourlyWage(local)},
      {"kind", false, row.kind},
  };
  cells.insert(cells.end(), std::begin(rest), std::end(rest));
  return cells;
}

bool AnyLocal(const LedgerReport& report) {
  for (const auto& row : report.rows)
    if (row.money_known && report.local.RateFor(row.currency)) return true;
  return false;
}

// A titled list of assignments with the reason given (rejections, work taken back); nothing
// when there are none.
void ItemList(std::ostream& out, const std::string& title, const std::vector<RejectionItem>& items,
              int width) {
  if (items.empty()) return;
  out << "\n" << title << "\n";
  const auto R = TextTable::Align::kRight;
  TextTable list({{Tr("ID"), R},
                  {Tr("Account"), TextTable::Align::kLeft, true},
                  {Tr("Date")},
                  {Tr("Reward"), R},
                  {Tr("Reason given"), TextTable::Align::kLeft, true, 10}});
  for (const auto& r : items)
    list.AddRow({std::to_string(r.assignment_id), r.account, r.day,
                 FormatAmount(r.reward_micros, r.currency) + " " + r.currency,
                 r.reason.empty() ? Tr("(no reason given)") : r.reason});
  out << list.Render(width);
}

void RowsJson(sync::JsonOut& out, const char* key, const std::vector<LedgerRow>& rows,
              const LocalCurrency& local) {
  out.Key(key);
  out.StartArray();
  for (const auto& row : rows) {
    out.StartObject();
    for (const auto& cell : CellsOf(row, local)) {
      out.Key(cell.name);
      if (cell.number && !cell.value.empty())
        out.Int(std::stoll(cell.value));
      else if (cell.number)
        out.w().Null();
      else
        out.String(cell.value);
    }
    out.EndObject();
  }
  out.EndArray();
}

void ItemsJson(sync::JsonOut& out, const char* key, const std::vector<RejectionItem>& items) {
  out.Key(key);
  out.StartArray();
  for (const auto& r : items) {
    out.StartObject();
    out.Field("id", r.assignment_id);
    out.Field("account", r.account);
    out.Field("server_id", r.server_id);
    out.Field("kind", r.kind);
    out.Field("reward", FormatAmount(r.reward_micros, r.currency));
    out.Field("reward_micros", r.reward_micros);
    out.Field("currency", r.currency);
    out.Field("time", FormatRfc3339(r.time_ms));
    out.Field("reason", r.reason);
    out.EndObject();
  }
  out.EndArray();
}

std::string IdleNote(const LedgerReport& report) {
  const std::string minutes = std::to_string(report.idle_limit_ms / 60'000);
  return report.include_idle
             ? TrFormat("Idle: over {0} min without input, or asleep; counted (--include-idle).",
                        {minutes})
             : TrFormat("Idle: over {0} min without input, or asleep; not counted.", {minutes});
}

// The whole ledger per task kind: tasks, hours and both wages.
void KindTable(std::ostream& out, const LedgerReport& report, int width) {
  if (report.kinds.empty()) return;
  const auto R = TextTable::Align::kRight;
  TextTable kinds({{Tr("Kind"), TextTable::Align::kLeft, true},
                   {Tr("Cur.")},
                   {Tr("Approved"), R},
                   {Tr("Hours"), R},
                   {Tr("Paid"), R},
                   {Tr("Paid time"), R},
                   {Tr("All time"), R}});
  for (const auto& k : report.kinds)
    kinds.AddRow({k.kind, k.currency, std::to_string(k.approved), FormatHours(k.total_ms()),
                  FormatHours(k.paid_ms), k.PaidHourlyWage(), k.HourlyWage()});
  out << "\n" << Tr("By task kind (the whole ledger)") << "\n" << kinds.Render(width);
}

}  // namespace

std::string RateText(const Rate& r) {
  // num/den with den a power of ten: exact decimal text.
  std::string digits = std::to_string(r.num);
  int decimals = 0;
  for (int64_t d = r.den; d > 1; d /= 10) ++decimals;
  if (decimals == 0) return digits;
  if (static_cast<int>(digits.size()) <= decimals)
    digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
  digits.insert(digits.size() - static_cast<size_t>(decimals), 1, '.');
  return digits;
}

std::string FormatHours(int64_t ms) {
  const int64_t minutes = (ms + 30'000) / 60'000;
  const int64_t m = minutes % 60;
  return std::to_string(minutes / 60) + (m < 10 ? ":0" : ":") + std::to_string(m);
}

std::string RenderLedgerText(const LedgerReport& report, int width) {
  std::ostringstream out;
  const bool local = AnyLocal(report);
  out << Tr(report.by == Period::kDay ? "Earnings by day" : "Earnings by week");
  if (local) {
    out << "  (" << TrFormat("local currency {0}", {report.local.currency});
    for (const auto& [from, rate] : report.local.rates)
      out << ", 1 " << from << " = " << RateText(rate) << " " << report.local.currency;
    if (!report.local.rate_date.empty())
      out << ", " << TrFormat("rates of {0}", {report.local.rate_date});
    out << ")";
  }
  out << "\n";
  using Col = TextTable::Column;
  const auto R = TextTable::Align::kRight;
  std::vector<Col> money_cols = {{Tr("Period")},     {Tr("Account"), TextTable::Align::kLeft, true},
                                 {Tr("Cur.")},       {Tr("Earned"), R},
                                 {Tr("Pending"), R}, {Tr("Rejected"), R},
                                 {Tr("Ret/exp"), R}, {Tr("Rej. %"), R}};
  if (local) money_cols.push_back({TrFormat("Earned {0}", {report.local.currency}), R});
  TextTable money(money_cols);
  // An account paid in two currencies has a row for each: then the hours table names the
  // currency too (its hourly wage is in it).
  std::set<std::pair<std::string, std::string>> seen;
  bool split = false;
  for (const auto& row : report.rows)
    split = !seen.insert({row.period, row.account}).second || split;
  std::vector<Col> time_cols = {{Tr("Period")}, {Tr("Account"), TextTable::Align::kLeft, true}};
  if (split) time_cols.push_back({Tr("Cur.")});
  std::vector<Col> wage_cols = time_cols;
  time_cols.insert(time_cols.end(), {{Tr("Hours"), R},
                                     {Tr("Paid"), R},
                                     {Tr("Pending"), R},
                                     {Tr("Unpaid"), R},
                                     {Tr("Searching"), R},
                                     {Tr("Idle"), R}});
  TextTable time(time_cols);
  wage_cols.insert(wage_cols.end(), {{Tr("Paid time"), R}, {Tr("All time"), R}});
  if (local)
    wage_cols.insert(wage_cols.end(), {{TrFormat("Paid time {0}", {report.local.currency}), R},
                                       {TrFormat("All time {0}", {report.local.currency}), R}});
  TextTable wage(wage_cols);
  for (const auto& row : report.rows) {
    const bool m = row.money_known;
    auto amount = [&](int64_t micros) {
      return m ? FormatAmount(micros, row.currency) : std::string("?");
    };
    const std::string period = row.period == "total" ? Tr("total") : row.period;
    const std::string account = row.account == "all" ? Tr("all") : row.account;
    std::vector<std::string> cells = {period,
                                      account,
                                      row.currency,
                                      amount(row.earned_micros()),
                                      amount(row.pending_micros),
                                      amount(row.rejected_micros),
                                      amount(row.lost_micros),
                                      row.RejectionRate()};
    if (local) cells.push_back(m ? report.local.Format(row.earned_micros(), row.currency) : "");
    money.AddRow(cells);
    std::vector<std::string> tcells = {period, account};
    if (split) tcells.push_back(row.currency);
    std::vector<std::string> wcells = tcells;
    tcells.insert(tcells.end(), {FormatHours(row.total_ms()), FormatHours(row.paid_ms),
                                 FormatHours(row.pending_ms), FormatHours(row.unpaid_ms),
                                 FormatHours(row.searching_ms), FormatHours(row.idle_ms)});
    time.AddRow(tcells);
    wcells.insert(wcells.end(), {row.PaidHourlyWage(), row.HourlyWage()});
    if (local)
      wcells.insert(wcells.end(),
                    {row.LocalPaidHourlyWage(report.local), row.LocalHourlyWage(report.local)});
    wage.AddRow(wcells);
  }
  out << money.Render(width) << "\n"
      << Tr("Hours spent (wall clock, from opening a task to sending it)") << "\n"
      << time.Render(width) << IdleNote(report) << "\n"
      << Tr("Hourly wage on paid time and on all time") << "\n"
      << wage.Render(width);
  KindTable(out, report, width);
  ItemList(out, Tr("Rejections, newest first (mano evidence ID keeps the proof)"),
           report.rejections, width);
  ItemList(out, Tr("Taken back by the server or the requester, newest first (time unpaid)"),
           report.taken_back, width);
  return out.str();
}

std::string LedgerCsv(const LedgerReport& report) {
  std::ostringstream out;
  bool header = true;
  std::vector<const LedgerRow*> all;
  for (const auto& row : report.rows) all.push_back(&row);
  for (const auto& row : report.kinds) all.push_back(&row);
  for (const LedgerRow* row : all) {
    auto cells = CellsOf(*row, report.local);
    if (header) {
      for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << cells[i].name;
      out << "\n";
      header = false;
    }
    for (size_t i = 0; i < cells.size(); ++i)
      out << (i ? "," : "") << sync::CsvCell(TerminalSafe(cells[i].value, LineBreaks::kKeep));
    out << "\n";
  }
  return out.str();
}

std::string LedgerJson(const LedgerReport& report) {
  sync::JsonOut out;
  out.StartObject();
  out.Field("by", PeriodName(report.by));
  out.Field("local_currency", report.local.currency);
  out.Key("rates");
  out.StartObject();
  for (const auto& [from, rate] : report.local.rates) out.Field(from, RateText(rate));
  out.EndObject();
  out.Field("rate_date", report.local.rate_date);
  out.Field("idle_limit_ms", report.idle_limit_ms);
  out.Field("include_idle", report.include_idle);
  RowsJson(out, "rows", report.rows, report.local);
  RowsJson(out, "kinds", report.kinds, report.local);
  ItemsJson(out, "rejections", report.rejections);
  ItemsJson(out, "taken_back", report.taken_back);
  out.EndObject();
  return out.Take() + "\n";
}

}  // namespace mano::client::ledger

#include "mano/client/ledger/ledger_bars.h"

#include <algorithm>

#include "mano/client/i18n.h"
#include "mano/client/ledger/ledger_format.h"
#include "mano/client/text_table.h"

namespace mano::client::ledger {
namespace {

struct Glyphs {
  std::string full, mid, light;
};

std::string Repeat(const std::string& glyph, int64_t n) {
  std::string out;
  for (int64_t i = 0; i < n; ++i) out += glyph;
  return out;
}

// Cells for `value` on a bar of `cells` where `max` fills it (rounded, at least one cell for
// any positive value so that small amounts stay visible).
int64_t Cells(__int128 value, __int128 max, int cells) {
  if (value <= 0 || max <= 0) return 0;
  const __int128 n = (value * cells * 2 + max) / (max * 2);
  return std::max<int64_t>(1, static_cast<int64_t>(n));
}

// One section: title, then "label bar value" lines with the values right-aligned.
void Section(std::vector<std::string>& out, const std::string& title,
             const std::vector<std::string>& labels, const std::vector<std::string>& bars,
             const std::vector<std::string>& values, int width) {
  out.push_back(TruncateToWidth(title, width));
  size_t value_width = 0;
  for (const auto& v : values) value_width = std::max(value_width, v.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string value(value_width - values[i].size(), ' ');
    value += values[i];
    std::string line = labels[i] + " " + bars[i];
    const int pad = width - DisplayWidth(line) - 1 - static_cast<int>(value_width);
    line += std::string(static_cast<size_t>(std::max(0, pad)), ' ') + " " + value;
    out.push_back(line);
  }
}

}  // namespace

std::vector<std::string> RenderLedgerBars(const LedgerReport& report, const BarOptions& options) {
  const Glyphs g = options.ascii ? Glyphs{"#", "+", "."} : Glyphs{"█", "▒", "░"};
  const std::string account = options.account.empty() ? "all" : options.account;
  std::vector<const LedgerRow*> rows;
  for (const auto& row : report.rows)
    if (row.account == account && row.period != "total") rows.push_back(&row);
  if (rows.size() > static_cast<size_t>(std::max(1, options.max_periods)))
    rows.erase(rows.begin(), rows.end() - std::max(1, options.max_periods));
  std::vector<std::string> out;
  if (rows.empty()) {
    out.push_back(
        TruncateToWidth(Tr("Nothing recorded yet: work on a task and come back."), options.width));
    return out;
  }
  size_t label_width = 0;
  for (const LedgerRow* r : rows) label_width = std::max(label_width, r->period.size());
  std::vector<std::string> labels;
  for (const LedgerRow* r : rows)
    labels.push_back(r->period + std::string(label_width - r->period.size(), ' '));
  // label + space + bar + space + value (at most 12 cells)
  const int bar_cells = std::max(4, options.width - static_cast<int>(label_width) - 2 - 12);
  const bool money =
      std::all_of(rows.begin(), rows.end(), [](const LedgerRow* r) { return r->money_known; });
  const std::string currency = rows.back()->currency;
  const bool per_day = report.by == Period::kDay;

  if (money) {
    int64_t max = 0;
    for (const LedgerRow* r : rows) max = std::max(max, r->earned_micros());
    std::vector<std::string> bars, values;
    for (const LedgerRow* r : rows) {
      bars.push_back(Repeat(g.full, Cells(r->earned_micros(), max, bar_cells)));
      values.push_back(FormatAmount(r->earned_micros(), r->currency));
    }
    Section(out, TrFormat(per_day ? "Earned per day ({0})" : "Earned per week ({0})", {currency}),
            labels, bars, values, options.width);
  } else {
    out.push_back(TruncateToWidth(
        Tr("Earnings: several currencies; set [ledger] local_currency and rates to add them."),
        options.width));
  }

  int64_t max_ms = 0;
  for (const LedgerRow* r : rows) max_ms = std::max(max_ms, r->total_ms());
  std::vector<std::string> bars, values;
  for (const LedgerRow* r : rows) {
    // Stacked with cumulative rounding so the segments add up to the whole bar.
    const int64_t a = Cells(r->paid_ms, max_ms, bar_cells);
    const int64_t b = std::max(a, Cells(r->paid_ms + r->pending_ms, max_ms, bar_cells));
    const int64_t c = std::max(b, Cells(r->total_ms(), max_ms, bar_cells));
    bars.push_back(Repeat(g.full, a) + Repeat(g.mid, b - a) + Repeat(g.light, c - b));
    values.push_back(FormatHours(r->total_ms()));
  }
  Section(
      out,
      TrFormat("Hours ({0} paid  {1} pending  {2} unpaid or searching)", {g.full, g.mid, g.light}),
      labels, bars, values, options.width);
  int64_t idle_ms = 0;
  for (const LedgerRow* r : rows) idle_ms += r->idle_ms;
  if (idle_ms > 0)
    out.push_back(TruncateToWidth(
        TrFormat(report.include_idle ? "Idle {0} (no input for over {1} min, or asleep): counted"
                                     : "Idle {0} (no input for over {1} min, or asleep): not "
                                       "counted",
                 {FormatHours(idle_ms), std::to_string(report.idle_limit_ms / 60'000)}),
        options.width));

  if (money) {
    // Wage in micro-units per hour, compared exactly as fractions via a common scale.
    auto wage_section = [&](const std::string& title, bool all_time) {
      std::vector<__int128> wages;
      __int128 max_wage = 0;
      for (const LedgerRow* r : rows) {
        const int64_t ms = all_time ? r->total_ms() : r->paid_ms;
        const __int128 w = ms > 0 ? static_cast<__int128>(r->earned_micros()) * 3'600'000 / ms : 0;
        wages.push_back(w);
        max_wage = std::max(max_wage, w);
      }
      bars.clear();
      values.clear();
      for (size_t i = 0; i < rows.size(); ++i) {
        bars.push_back(Repeat(g.full, Cells(wages[i], max_wage, bar_cells)));
        const std::string wage = all_time ? rows[i]->HourlyWage() : rows[i]->PaidHourlyWage();
        values.push_back(wage.empty() ? "-" : wage);
      }
      Section(out, title, labels, bars, values, options.width);
    };
    wage_section(TrFormat("Hourly wage on paid time only ({0} per hour)", {currency}), false);
    wage_section(TrFormat("Real hourly wage ({0} per hour of all time spent)", {currency}), true);
    // The whole ledger in the local currency, at the worker's rate.
    for (const auto& row : report.rows) {
      if (row.account != account || row.period != "total") continue;
      auto rate = report.local.RateFor(row.currency);
      if (!rate || report.local.currency.empty() || !row.money_known) break;
      const std::string paid = row.LocalPaidHourlyWage(report.local);
      const std::string all = row.LocalHourlyWage(report.local);
      out.push_back(TruncateToWidth(
          TrFormat("In {0} (1 {1} = {2} {0}): {3} per paid hour, {4} per hour of all time",
                   {report.local.currency, row.currency, RateText(*rate), paid.empty() ? "-" : paid,
                    all.empty() ? "-" : all}),
          options.width));
      if (!report.local.rate_date.empty())
        out.push_back(
            TruncateToWidth(TrFormat("rates of {0}", {report.local.rate_date}), options.width));
      break;
    }
  }
  return out;
}

}  // namespace mano::client::ledger

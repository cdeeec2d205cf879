// The three views of a LedgerReport: the summary `mano ledger` prints (two tables that fit
// 80 columns plus the list of rejections with the server's reasons and the list of work
// taken back, revoked or withdrawn, with theirs), and the CSV and JSON exports of the same
// rows (JSON: "rejections" and "taken_back", each [{id, account, server_id, kind, reward,
// reward_micros, currency, time, reason}]). All three format money with the same function
// (money.h), from the same integer micro-units, so they agree to the cent; the exports also carry
// the exact micro-units and milliseconds. Thread-safe: pure functions.
#pragma once

#include <string>

#include "mano/client/ledger/ledger.h"

namespace mano::client::ledger {

// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string CsvQuote(const std::string& s);

// "5:07": hours and minutes (rounded to the nearest minute).
std::string FormatHours(int64_t ms);

std::string RenderLedgerText(const LedgerReport& report, int width = 80);

// Header line then one line per row, RFC 4180 (CRLF is not used: '\n'). Columns:
//   period,account,currency,earned,approved,bonus,pending,rejected,lost,paid_out,
//   earned_micros,approved_micros,bonus_micros,pending_micros,rejected_micros,lost_micros,
//   paid_out_micros,approved_count,rejected_count,pending_count,lost_count,paid_ms,
//   pending_ms,unpaid_ms,total_ms,hourly_wage,rejection_rate_percent,local_currency,
//   local_earned,local_hourly_wage
// Money cells are empty when the row's money is unknown (several currencies, no rates).
std::string LedgerCsv(const LedgerReport& report);

// {"by":"day","local_currency":"VES","rates":{"USD":"36.5"},"rows":[{same names as the CSV,
// numbers for *_micros/*_count/*_ms, strings for formatted amounts}],
// "rejections":[{"id","account","server_id","kind","reward","reward_micros","currency",
// "time","reason"}],"taken_back":[same members]}
std::string LedgerJson(const LedgerReport& report);

}  // namespace mano::client::ledger

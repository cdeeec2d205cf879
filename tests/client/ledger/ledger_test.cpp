#include "mano/client/ledger/ledger.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <sstream>

#include "ledger_fixture.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/ledger_bars.h"
#include "mano/client/ledger/ledger_format.h"
#include "mano/client/text_table.h"
#include "mano/sync/json_util.h"

using namespace mano::client::ledger;
using mano::storage::AssignmentState;
using mano::test::LedgerFixture;

namespace {

constexpr int64_t kHour = LedgerFixture::kHour;
constexpr int64_t kMinute = LedgerFixture::kMinute;
constexpr int64_t kMonday = LedgerFixture::kMonday;
constexpr int64_t kTuesday = kMonday + 24 * kHour;

void Submit(LedgerFixture& f, int64_t id) { f.store().SetState(id, AssignmentState::kQueued, ""); }

// Monday: A1 approved (+bonus), A2 rejected, 5 min on the queue. Tuesday: A3 approved,
// A4 pending, A5 returned, A6 expired, a payment.
void Script(LedgerFixture& f) {
  f.AddAccount("acme", "USD");
  const int64_t a1 = f.Claim("acme", "A1", 25'000);
  f.store().TEST_AddLegacyActiveTime("acme", a1, 30 * kMinute, true);
  const int64_t a2 = f.Claim("acme", "A2", 1'000'000);
  f.store().TEST_AddLegacyActiveTime("acme", a2, 10 * kMinute, true);
  f.store().TEST_AddLegacyActiveTime("", std::nullopt, 5 * kMinute, false);
  Submit(f, a1);
  Submit(f, a2);
  f.Event("acme", 1, "approved", "A1", kMonday + 10 * kHour);
  f.store().SetState(a1, AssignmentState::kApproved, "approved by the requester");
  f.Event("acme", 2, "rejected", "A2", kMonday + 11 * kHour, "\"reason\":\"Answers copied\"");
  f.store().SetState(a2, AssignmentState::kRejected, "Answers copied");
  f.Event("acme", 3, "bonus", "A1", kMonday + 12 * kHour, "\"amount\":500000,\"currency\":\"USD\"");

  f.clock().Advance(24 * kHour);
  const int64_t a3 = f.Claim("acme", "A3", 1'255'000);
  f.store().TEST_AddLegacyActiveTime("acme", a3, 15 * kMinute, true);
  Submit(f, a3);
  f.Event("acme", 4, "approved", "A3", kTuesday + 10 * kHour);
  f.store().SetState(a3, AssignmentState::kApproved, "approved by the requester");
  const int64_t a4 = f.Claim("acme", "A4", 333'333);
  f.store().TEST_AddLegacyActiveTime("acme", a4, 15 * kMinute, true);
  Submit(f, a4);
  const int64_t a5 = f.Claim("acme", "A5", 200'000);
  f.store().TEST_AddLegacyActiveTime("acme", a5, 5 * kMinute, true);
  f.store().SetState(a5, AssignmentState::kReturned, "returned by the worker");
  const int64_t a6 = f.Claim("acme", "A6", 100'000);
  f.store().SetState(a6, AssignmentState::kExpired, "deadline passed");
  f.Event("acme", 5, "payment", "", kTuesday + 13 * kHour, "\"amount\":1000000");
}

LedgerOptions Utc(Period by = Period::kDay) {
  LedgerOptions o;
  o.by = by;
  o.utc_offset_ms = [](int64_t) { return int64_t{0}; };
  return o;
}

const LedgerRow& Row(const LedgerReport& r, const std::string& period,
                     const std::string& account = "all") {
  for (const auto& row : r.rows)
    if (row.period == period && row.account == account) return row;
  FAIL("no row " << period << " " << account);
  throw;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST_CASE("the ledger classifies earned, pending, rejected and lost, by day") {
  LedgerFixture f;
  Script(f);
  const auto report = ComputeLedger(f.store(), Utc());
  REQUIRE(report.rows.size() == 3);  // one account: overall rows only
  const auto& mon = Row(report, "2026-11-23");
  CHECK(mon.approved_micros == 25'000);
  CHECK(mon.bonus_micros == 500'000);
  CHECK(mon.rejected_micros == 1'000'000);
  CHECK(mon.approved == 1);
  CHECK(mon.rejected == 1);
  CHECK(mon.paid_ms == 30 * kMinute);
  CHECK(mon.unpaid_ms == 15 * kMinute);  // rejected work + the queue
  CHECK(FormatAmount(mon.earned_micros(), "USD") == "0.525");
  CHECK(mon.HourlyWage() == "0.70");
  CHECK(mon.RejectionRate() == "50.0");

  const auto& tue = Row(report, "2026-11-24");
  CHECK(tue.approved_micros == 1'255'000);
  CHECK(tue.pending_micros == 333'333);
  CHECK(tue.lost_micros == 300'000);
  CHECK(tue.lost == 2);
  CHECK(tue.paid_out_micros == 1'000'000);
  CHECK(tue.paid_ms == 15 * kMinute);
  CHECK(tue.pending_ms == 15 * kMinute);
  CHECK(tue.unpaid_ms == 5 * kMinute);  // returned work
  CHECK(tue.HourlyWage() == "2.15");

  const auto& total = Row(report, "total");
  CHECK(total.earned_micros() == 1'780'000);
  CHECK(total.total_ms() == 80 * kMinute);
  CHECK(total.HourlyWage() == "1.34");  // 1.78 / (80/60) h = 1.335, rounded once
  CHECK(total.RejectionRate() == "33.3");
  // Exact: the days show 0.525 + 1.255 and the total 1.78.
  CHECK(FormatAmount(total.earned_micros(), "USD") == "1.78");

  REQUIRE(report.rejections.size() == 1);
  CHECK(report.rejections[0].server_id == "A2");
  CHECK(report.rejections[0].reason == "Answers copied");
  CHECK(report.rejections[0].time_ms == kMonday + 11 * kHour);
  CHECK(report.rejections[0].day == "2026-11-23");
}

TEST_CASE("by week, days fall into ISO weeks") {
  CHECK(WeekLabel(kMonday) == "2026-W48");
  CHECK(WeekLabel(kMonday - 1) == "2026-W47");
  CHECK(WeekLabel(kMonday + 7 * 24 * kHour - 1) == "2026-W48");
  CHECK(DayLabel(kMonday - 1) == "2026-11-22");
  CHECK(WeekLabel(1'798'675'200'000) == "2026-W53");  // 2026-12-31 (Thursday)
  CHECK(WeekLabel(1'799'020'800'000) == "2027-W01");  // 2027-01-04 (Monday)
  CHECK(WeekLabel(1'230'508'800'000) == "2009-W01");  // 2008-12-29 (Monday): the next ISO year
  CHECK(WeekLabel(1'262'304'000'000) == "2009-W53");  // 2010-01-01 (Friday): the last ISO year
  CHECK(WeekLabel(-86'400'000) == "1970-W01");        // 1969-12-31 (Wednesday)
  LedgerFixture f;
  Script(f);
  const auto report = ComputeLedger(f.store(), Utc(Period::kWeek));
  REQUIRE(report.rows.size() == 2);
  CHECK(Row(report, "2026-W48").earned_micros() == 1'780'000);
  CHECK(Row(report, "total").earned_micros() == 1'780'000);
}

TEST_CASE("a local time zone moves work across midnight") {
  LedgerFixture f;
  Script(f);
  auto options = Utc();
  options.utc_offset_ms = [](int64_t) { return -10 * kHour; };  // 08:00Z is 22:00 the day before
  const auto report = ComputeLedger(f.store(), options);
  CHECK(Row(report, "2026-11-22").paid_ms == 30 * kMinute);
}

TEST_CASE("the local currency converts exactly at the worker's rate") {
  LedgerFixture f;
  Script(f);
  auto options = Utc();
  options.local = LocalCurrency{"VES", {{"USD", *ParseRate("36.5")}}};
  const auto report = ComputeLedger(f.store(), options);
  const auto& total = Row(report, "total");
  CHECK(report.local.Format(total.earned_micros(), total.currency) == "64.97");
  CHECK(total.LocalHourlyWage(report.local) == "48.73");  // 1.335 * 36.5 = 48.7275
}

// One server paying the same worker in two currencies (each task says its own): a EUR payment
// is counted as EUR, in its own row, never added to the account's USD.
TEST_CASE("one account paid in two currencies: a row per currency, never one sum") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t u = f.Claim("acme", "U1", 50'000, "USD");
  const int64_t e = f.Claim("acme", "E1", 40'000, "EUR");
  f.store().TEST_AddLegacyActiveTime("acme", u, 30 * kMinute, true);
  f.store().TEST_AddLegacyActiveTime("acme", e, 60 * kMinute, true);
  for (int64_t id : {u, e}) {
    Submit(f, id);
    f.store().SetState(id, AssignmentState::kApproved, "approved by the requester");
  }
  // The events as manod sends them.
  f.Event("acme", 1, "payment", "U1", kMonday + kHour, "\"amount\":50000,\"currency\":\"USD\"");
  f.Event("acme", 2, "payment", "E1", kMonday + kHour, "\"amount\":40000,\"currency\":\"EUR\"");
  f.Event("acme", 3, "bonus", "E1", kMonday + kHour, "\"amount\":250000,\"currency\":\"EUR\"");

  auto report = ComputeLedger(f.store(), Utc());
  const LedgerRow* usd = nullptr;
  const LedgerRow* eur = nullptr;
  for (const auto& row : report.rows) {
    if (row.period != "total" || row.account != "acme") continue;
    (row.currency == "EUR" ? eur : usd) = &row;
  }
  REQUIRE(usd);
  REQUIRE(eur);
  CHECK(usd->currency == "USD");
  CHECK(usd->approved_micros == 50'000);
  CHECK(usd->paid_out_micros == 50'000);
  CHECK(usd->bonus_micros == 0);
  CHECK(usd->paid_ms == 30 * kMinute);
  CHECK(eur->approved_micros == 40'000);
  CHECK(eur->paid_out_micros == 40'000);
  CHECK(eur->bonus_micros == 250'000);
  CHECK(eur->paid_ms == 60 * kMinute);
  CHECK_FALSE(Row(report, "total").money_known);  // no rates: no sum across currencies
  // The hours table names the currency of each of the account's rows (its wage is in it).
  const std::string text = RenderLedgerText(report);
  const auto hours =
      text.substr(text.find("Hours spent"), text.find("Hourly wage") - text.find("Hours spent"));
  CHECK(hours.find("Cur.") != std::string::npos);
  int eur_hours = 0;
  for (const auto& line : Split(hours, '\n')) {
    const auto w = Words(line);
    if (w.size() >= 4 && w[0] == "total" && w[1] == "acme" && w[2] == "EUR") {
      ++eur_hours;
      CHECK(w[3] == "1:00");
    }
  }
  CHECK(eur_hours == 1);

  auto options = Utc();
  options.local = LocalCurrency{"VES", {{"USD", *ParseRate("36.5")}, {"EUR", *ParseRate("39.7")}}};
  report = ComputeLedger(f.store(), options);
  CHECK(Row(report, "total").money_known);
  CHECK(FormatAmount(Row(report, "total").earned_micros(), "VES") == "13.338");  // 1.825 + 11.513
}

TEST_CASE("several accounts: per-account rows, overall converted or marked unknown") {
  LedgerFixture f;
  Script(f);
  f.AddAccount("beta", "EUR");
  const int64_t b1 = f.Claim("beta", "B1", 2'000'000, "EUR");
  f.store().TEST_AddLegacyActiveTime("beta", b1, 20 * kMinute, true);
  f.store().SetState(b1, AssignmentState::kApproved, "approved by the requester");

  auto report = ComputeLedger(f.store(), Utc());
  CHECK(Row(report, "total", "acme").earned_micros() == 1'780'000);
  CHECK(Row(report, "total", "acme").total_ms() == 75 * kMinute);  // queue time is shared
  CHECK(Row(report, "total", "beta").earned_micros() == 2'000'000);
  CHECK(Row(report, "total", "beta").currency == "EUR");
  CHECK_FALSE(Row(report, "total").money_known);
  CHECK(Row(report, "total").total_ms() == 100 * kMinute);
  CHECK(Row(report, "total").HourlyWage().empty());

  auto options = Utc();
  options.local = LocalCurrency{"VES", {{"USD", *ParseRate("36.5")}, {"EUR", *ParseRate("39.7")}}};
  report = ComputeLedger(f.store(), options);
  const auto& all = Row(report, "total");
  CHECK(all.money_known);
  CHECK(all.currency == "VES");
  CHECK(FormatAmount(all.earned_micros(), "VES") == "144.37");  // 64.97 + 79.40

  options.account = "beta";
  report = ComputeLedger(f.store(), options);
  for (const auto& row : report.rows) CHECK(row.account == "beta");
  options.account = "nobody";
  CHECK_THROWS_AS(ComputeLedger(f.store(), options), mano::storage::StoreError);
}

TEST_CASE("the ledger with a local currency fits 80 columns in every language") {
  LedgerFixture f;
  Script(f);
  auto options = Utc();
  options.local = LocalCurrency{"VES", {{"USD", *ParseRate("36.5")}}};
  const char* build = std::getenv("MANO_BUILD_DIR");
  REQUIRE(build);
  for (const char* lang : {"es", "fr", "ar", "C"}) {
    mano::client::InitLanguage(lang, std::string(build) + "/share/locale");
    for (Period by : {Period::kDay, Period::kWeek}) {
      options.by = by;
      const std::string text = RenderLedgerText(ComputeLedger(f.store(), options));
      for (const auto& line : Split(text, '\n')) {
        INFO(lang << ": " << line);
        CHECK(mano::client::DisplayWidth(line) <= 80);
      }
    }
  }
  mano::client::InitLanguage("C", std::string(build) + "/share/locale");
}

TEST_CASE("the summary, the CSV and the JSON agree to the cent") {
  LedgerFixture f;
  Script(f);
  // Three tiny rewards: 0.005 each; the day shows exactly 0.015.
  f.clock().Advance(24 * kHour);
  for (int i = 0; i < 3; ++i) {
    const int64_t id = f.Claim("acme", "C" + std::to_string(i), 5'000);
    f.store().SetState(id, AssignmentState::kApproved, "approved by the requester");
  }
  auto options = Utc();
  options.local = LocalCurrency{"VES", {{"USD", *ParseRate("36.5")}}};
  const auto report = ComputeLedger(f.store(), options);
  CHECK(FormatAmount(Row(report, "2026-11-25").earned_micros(), "USD") == "0.015");

  const std::string text = RenderLedgerText(report);
  const std::string csv = LedgerCsv(report);
  const std::string json = LedgerJson(report);

  for (const auto& line : Split(text, '\n')) CHECK(mano::client::DisplayWidth(line) <= 80);

  const auto csv_lines = Split(csv, '\n');
  // The columns and their order are what a requester's spreadsheet reads.
  CHECK(csv_lines.at(0) ==
        "period,account,currency,earned,approved,bonus,pending,rejected,lost,paid_out,"
        "earned_micros,approved_micros,bonus_micros,pending_micros,rejected_micros,lost_micros,"
        "paid_out_micros,approved_count,rejected_count,pending_count,lost_count,paid_ms,"
        "pending_ms,unpaid_ms,total_ms,hourly_wage,rejection_rate_percent,local_currency,"
        "local_earned,local_hourly_wage,searching_ms,idle_ms,paid_hourly_wage,"
        "local_paid_hourly_wage,kind");
  const auto header = Split(csv_lines.at(0), ',');
  auto col = [&](const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    FAIL("no column " << name);
    return size_t{0};
  };
  mano::sync::JsonDocument doc(json);
  const auto rows = doc.Root().Member("rows");
  REQUIRE(rows.Size() == report.rows.size());
  // header + rows + the rows per kind + final newline
  REQUIRE(csv_lines.size() == report.rows.size() + report.kinds.size() + 2);

  int matched_text_rows = 0;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const auto cells = Split(csv_lines[i + 1], ',');
    const auto j = rows.At(i);
    const LedgerRow& row = report.rows[i];
    for (const char* name : {"earned", "pending", "rejected", "lost", "hourly_wage", "local_earned",
                             "local_hourly_wage", "rejection_rate_percent", "period", "account"}) {
      INFO(row.period << " " << name);
      CHECK(cells.at(col(name)) == j.Str(name));
    }
    for (const char* name : {"earned_micros", "pending_micros", "total_ms", "paid_ms"}) {
      INFO(row.period << " " << name);
      CHECK(std::stoll(cells.at(col(name))) == j.IntOf(name));
    }
    CHECK(j.IntOf("earned_micros") == row.earned_micros());
    // The same figures on the summary's line for this period (the money table, before the
    // hours table, whose rows also start with period, account and currency).
    for (const auto& line : Split(text, '\n')) {
      if (line.find("Hours spent") != std::string::npos) break;
      const auto w = Words(line);
      if (w.size() >= 9 && w[0] == row.period && w[1] == row.account && w[2] == "USD") {
        ++matched_text_rows;
        CHECK(w[3] == j.Str("earned"));
        CHECK(w[4] == j.Str("pending"));
        CHECK(w[5] == j.Str("rejected"));
        CHECK(w[6] == j.Str("lost"));
        CHECK(w[7] == j.Str("rejection_rate_percent"));
        CHECK(w[8] == j.Str("local_earned"));
      }
    }
  }
  CHECK(matched_text_rows == static_cast<int>(report.rows.size()));
  CHECK(doc.Root().Member("rejections").At(0).Str("reason") == "Answers copied");
  CHECK(text.find("Answers copied") != std::string::npos);
}

TEST_CASE("the ledger screen's bars fit the width and stack paid, pending, unpaid") {
  LedgerFixture f;
  Script(f);
  const auto report = ComputeLedger(f.store(), Utc());
  BarOptions options;
  options.ascii = true;
  const auto lines = RenderLedgerBars(report, options);
  for (const auto& line : lines) CHECK(mano::client::DisplayWidth(line) <= 80);
  // 56 bar cells at 80 columns; Monday has the most hours (45 min: 30 paid, 15 unpaid).
  const std::string monday = "2026-11-23 " + std::string(37, '#') + std::string(19, '.');
  const std::string tuesday =
      "2026-11-24 " + std::string(19, '#') + std::string(18, '+') + std::string(7, '.');
  bool saw_monday = false, saw_tuesday = false;
  for (const auto& line : lines) {
    saw_monday |= line.rfind(monday + " ", 0) == 0 && line.find("0:45") != std::string::npos;
    saw_tuesday |= line.rfind(tuesday + " ", 0) == 0 && line.find("0:35") != std::string::npos;
  }
  CHECK(saw_monday);
  CHECK(saw_tuesday);
  // Earnings and wage sections carry the same figures as the summary.
  const std::string all = [&] {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }();
  CHECK(all.find("Earned per day (USD)") != std::string::npos);
  CHECK(all.find("1.255\n") != std::string::npos);  // Tuesday earned
  CHECK(all.find("2.15\n") != std::string::npos);   // Tuesday wage

  options.ascii = false;
  options.width = 60;
  for (const auto& line : RenderLedgerBars(report, options))
    CHECK(mano::client::DisplayWidth(line) <= 60);
  CHECK(RenderLedgerBars(LedgerReport{}, options).size() == 1);
}

TEST_CASE("revoked and withdrawn work is lost, its time unpaid, listed with the reason given") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t revoked = f.Claim("acme", "R1", 300'000);
  f.store().TEST_AddLegacyActiveTime("acme", revoked, 20 * kMinute, true);
  f.store().SetState(revoked, AssignmentState::kRevoked, "lease revoked by the server",
                     "duplicate of R0");
  const int64_t withdrawn = f.Claim("acme", "W1", 200'000);
  f.store().TEST_AddLegacyActiveTime("acme", withdrawn, 10 * kMinute, true);
  f.store().SetState(withdrawn, AssignmentState::kWithdrawn, "task withdrawn",
                     "the task was withdrawn");
  const int64_t refused = f.Claim("acme", "L1", 100'000);
  f.store().TEST_AddLegacyActiveTime("acme", refused, 5 * kMinute, true);
  f.store().SetState(refused, AssignmentState::kLateRefused, "receipt late_refused", "too late");
  const LedgerReport report = ComputeLedger(f.store(), Utc());
  const LedgerRow& total = Row(report, "total");
  CHECK(total.lost == 3);
  CHECK(total.lost_micros == 600'000);
  CHECK(total.paid_ms == 0);
  CHECK(total.pending_ms == 0);
  CHECK(total.unpaid_ms == 35 * kMinute);
  REQUIRE(report.taken_back.size() == 2);
  std::map<std::string, std::string> reasons;
  for (const auto& item : report.taken_back) reasons[item.server_id] = item.reason;
  CHECK(reasons["R1"] == "duplicate of R0");
  CHECK(reasons["W1"] == "the task was withdrawn");
  CHECK(report.rejections.empty());  // taken back is not rejected
  const std::string text = RenderLedgerText(report, 80);
  CHECK(text.find("duplicate of R0") != std::string::npos);
  CHECK(LedgerJson(report).find("\"taken_back\"") != std::string::npos);
}

// The ledger CSV opens in a spreadsheet: a text cell that would run as a formula (an account
// or a server's currency code starting with = + - @) gets a leading quote; amounts, negative
// ones too, stay numbers (issue 17; before, they were written raw).
TEST_CASE("the ledger CSV neutralises formula cells and keeps negative amounts as numbers") {
  LedgerReport report;
  LedgerRow row;
  row.period = "total";
  row.account = "=HYPERLINK(\"http://evil.example\",\"x\")";
  row.currency = "@EU";
  row.approved_micros = 2'000'000;
  row.paid_out_micros = 3'500'000;
  row.rejected_micros = -1'500'000;
  report.rows.push_back(row);
  const std::string csv = LedgerCsv(report);
  CHECK_THAT(csv, Catch::Contains("total,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","
                                  "\"'@EU\","));
  CHECK_THAT(csv, Catch::Contains(",-1.50,"));
  CHECK_THAT(csv, Catch::Contains(",-1500000,"));
  CHECK(csv.find(",=") == std::string::npos);
  CHECK(csv.find(",@") == std::string::npos);
}

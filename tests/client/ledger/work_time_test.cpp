// Work time as wall-clock time from the journal (issue 13): a task counts from its first
// open to its submit or return, whatever the input; long gaps and sleep are idle, shown and
// left out unless asked for; returned, expired and rejected time is unpaid; looking for work
// is "searching"; and the figures can be recomputed from the journal's rows alone.
// A ManualClock drives every time (no sleeps).
#include "mano/client/ledger/work_time.h"

#include <catch2/catch.hpp>
#include <map>

#include "ledger_fixture.h"
#include "mano/client/ledger/ledger.h"
#include "mano/client/ledger/ledger_format.h"
#include "mano/client/ledger/requester_report.h"
#include "mano/client/ledger/work_time_tracker.h"
#include "mano/sync/json_util.h"

using namespace mano::client::ledger;
using mano::storage::AssignmentState;
using mano::test::LedgerFixture;

namespace {

constexpr int64_t kSecond = 1'000;
constexpr int64_t kMinute = LedgerFixture::kMinute;
constexpr int64_t kHour = LedgerFixture::kHour;

LedgerOptions Utc() {
  LedgerOptions o;
  o.utc_offset_ms = [](int64_t) { return int64_t{0}; };
  return o;
}

const LedgerRow& Total(const LedgerReport& r) {
  for (const auto& row : r.rows)
    if (row.period == "total" && row.account == "all") return row;
  FAIL("no total row");
  throw;
}

void CliOpen(LedgerFixture& f, int64_t id) {
  WriteFocusMark(f.store(), {FocusOn::kTask, "acme", id}, "cli");
}

void Approve(LedgerFixture& f, int64_t seq, const std::string& server_id, int64_t id) {
  f.Event("acme", seq, "approved", server_id, f.clock().NowMs());
  f.store().SetState(id, AssignmentState::kApproved, "");
}

}  // namespace

TEST_CASE("work time: a task open 150 s with 10 s of typing counts 150 s (UI tracker)") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 100'000);
  WorkTimeTracker ui(f.store(), f.clock());
  ui.OnFocus({FocusOn::kTask, "acme", id});  // opened; then read in a browser for 140 s
  f.clock().Advance(140 * kSecond);
  for (int i = 0; i < 10; ++i) {  // 10 s of typing
    ui.OnKey();
    f.clock().Advance(kSecond);
  }
  f.store().SetState(id, AssignmentState::kQueued, "");  // sent at 150 s
  ui.OnFocus({FocusOn::kSearch, "", std::nullopt});      // back on the queue
  f.clock().Advance(20 * kSecond);
  ui.OnFocus({});  // the UI closed after 20 s on the queue

  auto pending = Total(ComputeLedger(f.store(), Utc()));
  CHECK(pending.pending_ms == 150 * kSecond);
  CHECK(pending.searching_ms == 20 * kSecond);
  CHECK(pending.idle_ms == 0);
  Approve(f, 1, "A1", id);
  const auto report = ComputeLedger(f.store(), Utc());
  const auto& total = Total(report);
  CHECK(total.paid_ms == 150 * kSecond);
  CHECK(total.total_ms() == 170 * kSecond);
  // 0.10 USD over 150 s = 2.40/h on paid time; over 170 s = 2.1176.. = 2.12/h on all time.
  CHECK(total.PaidHourlyWage() == "2.40");
  CHECK(total.HourlyWage() == "2.12");
  REQUIRE(report.kinds.size() == 1);
  CHECK(report.kinds[0].kind == "relevance");
  CHECK(report.kinds[0].paid_ms == 150 * kSecond);

  // In the local currency, at the worker's rate, with its date shown.
  LedgerOptions local = Utc();
  local.local = LocalCurrency{"VES", {{"USD", *ParseRate("36.5")}}, "2026-11-30"};
  const auto in_ves = ComputeLedger(f.store(), local);
  CHECK(Total(in_ves).LocalPaidHourlyWage(in_ves.local) == "87.60");  // 2.40 * 36.5
  CHECK(Total(in_ves).LocalHourlyWage(in_ves.local) == "77.29");      // 0.10 * 36.5 / 170 s
  const std::string text = RenderLedgerText(in_ves);
  CHECK(text.find("1 USD = 36.5 VES, rates of 2026-11-30") != std::string::npos);
  CHECK(LedgerJson(in_ves).find("\"rate_date\":\"2026-11-30\"") != std::string::npos);
  CHECK(report.kinds[0].searching_ms == 0);
}

TEST_CASE("work time: CLI-only work counts, from show to submit, across processes") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  WriteFocusMark(f.store(), {FocusOn::kSearch, "acme", std::nullopt}, "cli");  // mano claim
  f.clock().Advance(5 * kSecond);
  const int64_t id = f.Claim("acme", "A1", 50'000);
  f.clock().Advance(10 * kSecond);
  CliOpen(f, id);  // mano show: 15 s searching before it
  f.Close();       // each command is its own process
  f.Open();
  f.clock().Advance(200 * kSecond);
  CliOpen(f, id);  // mano answer
  f.clock().Advance(7 * kSecond);
  f.store().SetState(id, AssignmentState::kQueued, "");  // mano submit
  f.clock().Advance(3 * kHour);
  CliOpen(f, id);  // mano show on a sent task: not work time
  f.clock().Advance(kHour);
  WriteFocusMark(f.store(), {FocusOn::kSearch, "acme", std::nullopt}, "cli");

  const LedgerRow total = Total(ComputeLedger(f.store(), Utc()));
  CHECK(total.pending_ms == 207 * kSecond);
  CHECK(total.searching_ms == 15 * kSecond);
  CHECK(total.idle_ms == 0);
}

TEST_CASE("work time: a 2-hour gap is idle, shown, left out unless included") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 1'000'000);
  CliOpen(f, id);
  f.clock().Advance(5 * kMinute);
  CliOpen(f, id);
  f.clock().Advance(2 * kHour);  // the laptop off, nothing in the journal
  CliOpen(f, id);
  f.clock().Advance(5 * kMinute);
  f.store().SetState(id, AssignmentState::kQueued, "");
  Approve(f, 1, "A1", id);

  auto report = ComputeLedger(f.store(), Utc());
  CHECK(Total(report).paid_ms == 10 * kMinute);
  CHECK(Total(report).idle_ms == 2 * kHour);
  CHECK(Total(report).HourlyWage() == "6.00");  // 1 USD in 10 minutes
  const std::string text = RenderLedgerText(report);
  CHECK(text.find("Idle: over 10 min without input, or asleep; not counted.") != std::string::npos);

  LedgerOptions with_idle = Utc();
  with_idle.include_idle = true;
  report = ComputeLedger(f.store(), with_idle);
  CHECK(Total(report).paid_ms == 130 * kMinute);
  CHECK(Total(report).idle_ms == 2 * kHour);
  CHECK(Total(report).HourlyWage() == "0.46");  // 1 USD / (130/60) h = 0.4615

  // A longer idle limit (config [ledger] idle_minutes) makes the gap work time.
  LedgerOptions patient = Utc();
  patient.idle_limit_ms = 3 * kHour;
  CHECK(Total(ComputeLedger(f.store(), patient)).idle_ms == 0);
}

TEST_CASE("work time: the machine asleep is idle even when short (the wall clock jumped)") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 100'000);
  WorkTimeTracker ui(f.store(), f.clock());
  ui.OnFocus({FocusOn::kTask, "acme", id});
  f.clock().Advance(60 * kSecond);
  // Suspended for 5 minutes: wall time moves, monotonic time stands still.
  f.clock().SetNow(f.clock().NowMs() + 5 * kMinute);
  f.clock().Advance(30 * kSecond);
  ui.OnKey();
  f.clock().Advance(30 * kSecond);
  f.store().SetState(id, AssignmentState::kQueued, "");
  const LedgerRow total = Total(ComputeLedger(f.store(), Utc()));
  CHECK(total.idle_ms == 5 * kMinute);
  CHECK(total.pending_ms == 120 * kSecond);
}

TEST_CASE("work time: returned, expired and rejected time is unpaid; the wage to the cent") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  // A1 approved (0.45 USD) after 7 min; A2 returned after 2 min; A3 expired after 3 min (the
  // lease ran out while it was open, then it was left); A4 rejected after 4 min; 1 min
  // searching between tasks.
  const int64_t a1 = f.Claim("acme", "A1", 450'000);
  const int64_t a2 = f.Claim("acme", "A2", 300'000);
  const int64_t a3 = f.Claim("acme", "A3", 300'000);
  const int64_t a4 = f.Claim("acme", "A4", 300'000);
  CliOpen(f, a1);
  f.clock().Advance(7 * kMinute);
  f.store().SetState(a1, AssignmentState::kQueued, "");
  WriteFocusMark(f.store(), {FocusOn::kSearch, "acme", std::nullopt}, "cli");
  f.clock().Advance(1 * kMinute);
  CliOpen(f, a2);
  f.clock().Advance(2 * kMinute);
  f.store().SetState(a2, AssignmentState::kReturned, "");
  CliOpen(f, a3);
  f.clock().Advance(3 * kMinute);
  f.store().SetState(a3, AssignmentState::kExpired, "");  // still hers: time goes on
  f.clock().Advance(0);
  CliOpen(f, a4);  // she gives up on A3 and takes A4
  f.clock().Advance(4 * kMinute);
  f.store().SetState(a4, AssignmentState::kQueued, "");
  f.Event("acme", 1, "approved", "A1", f.clock().NowMs());
  f.store().SetState(a1, AssignmentState::kApproved, "");
  f.Event("acme", 2, "rejected", "A4", f.clock().NowMs(), "\"reason\":\"no\"");
  f.store().SetState(a4, AssignmentState::kRejected, "no");

  const LedgerRow total = Total(ComputeLedger(f.store(), Utc()));
  CHECK(total.paid_ms == 7 * kMinute);
  CHECK(total.unpaid_ms == 9 * kMinute);  // 2 returned + 3 expired + 4 rejected
  CHECK(total.searching_ms == 1 * kMinute);
  CHECK(total.pending_ms == 0);
  // By hand: 0.45 USD / (7/60 h) = 3.857.. -> 3.86 on paid time;
  //          0.45 USD / (17/60 h) = 1.588.. -> 1.59 on all time.
  CHECK(total.PaidHourlyWage() == "3.86");
  CHECK(total.HourlyWage() == "1.59");
}

TEST_CASE("work time: the figures are recomputed from the journal rows alone") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t a1 = f.Claim("acme", "A1", 200'000);
  const int64_t a2 = f.Claim("acme", "A2", 200'000);
  WorkTimeTracker ui(f.store(), f.clock());
  ui.OnFocus({FocusOn::kSearch, "", std::nullopt});
  f.clock().Advance(40 * kSecond);
  ui.OnFocus({FocusOn::kTask, "acme", a1});
  f.clock().Advance(3 * kMinute);
  ui.OnKey();
  f.clock().Advance(25 * kMinute);  // away
  ui.OnKey();
  f.clock().Advance(kMinute);
  f.store().SetState(a1, AssignmentState::kQueued, "");
  ui.OnFocus({});
  CliOpen(f, a2);
  f.clock().Advance(6 * kMinute);
  f.store().SetState(a2, AssignmentState::kReturned, "");
  Approve(f, 1, "A1", a1);
  const LedgerRow ledger = Total(ComputeLedger(f.store(), Utc()));

  // Only the journal: check its chain, then sum the intervals by the last state each
  // assignment reached in it.
  std::vector<mano::storage::JournalEntry> rows = f.store().ListJournal(0, 100000);
  std::string prev(64, '0');
  std::map<int64_t, std::string> last_state;
  for (const auto& e : rows) {
    REQUIRE(e.prev_hash == prev);
    REQUIRE(mano::storage::JournalEntryHash(e) == e.hash);
    prev = e.hash;
    if (e.type == "state" && e.assignment_id)
      last_state[*e.assignment_id] = mano::sync::JsonDocument(e.payload).Root().StrOr("to", "");
  }
  std::map<std::string, int64_t> sums;
  for (const auto& w : WorkIntervals(rows, kDefaultIdleLimitMs)) {
    if (w.idle)
      sums["idle"] += w.ms();
    else if (w.on == FocusOn::kSearch)
      sums["searching"] += w.ms();
    else if (last_state[*w.assignment_id] == "approved")
      sums["paid"] += w.ms();
    else
      sums["unpaid"] += w.ms();
  }
  CHECK(sums["searching"] == 40 * kSecond);
  CHECK(sums["paid"] == 4 * kMinute);
  CHECK(sums["idle"] == 25 * kMinute);
  CHECK(sums["unpaid"] == 6 * kMinute);
  CHECK(ledger.paid_ms == sums["paid"]);
  CHECK(ledger.unpaid_ms == sums["unpaid"]);
  CHECK(ledger.searching_ms == sums["searching"]);
  CHECK(ledger.idle_ms == sums["idle"]);
}

// The requesters report's pay per real hour uses the same time as the ledger: the wall-clock
// time from the focus marks (here a task shown for 200 s, then submitted), not the old
// keystroke counter the UI no longer writes.
TEST_CASE("work time: the requesters report counts a task's time from the focus marks") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 50'000);
  CliOpen(f, id);  // mano show
  f.clock().Advance(200 * kSecond);
  f.store().SetState(id, AssignmentState::kQueued, "");  // mano submit
  f.clock().Advance(3 * kHour);  // after the submit: not the task's time
  WriteFocusMark(f.store(), {FocusOn::kSearch, "acme", std::nullopt}, "cli");
  const auto time = TaskTimeMs(f.store());
  REQUIRE(time.count(id) == 1);
  CHECK(time.at(id) == 200 * kSecond);
}

// The ledger screen: `l` on the queue opens the text bars of the worker's ledger, fitting
// 80x24 with Up/Down scrolling when longer; Esc goes back; time on it is not counted.
#include "mano/client/ui/ledger_screen.h"

#include <catch2/catch.hpp>

#include "mano/client/ledger/work_time.h"
#include "mano/client/utf8.h"
#include "screen_fixture.h"

using namespace mano::client::ui;
using mano::storage::AssignmentState;
using test::CheckShows;
using test::Fixture;
using test::Has;

namespace {

// Presses `l` on the queue; the ledger screen it opens (the test stops if none opened).
LedgerScreen* OpenLedger(Fixture& f) {
  f.Press(Key::Char(U'l'));
  auto* screen = dynamic_cast<LedgerScreen*>(f.manager->top());
  REQUIRE(screen);
  return screen;
}

}  // namespace

TEST_CASE("ledger screen: bars at 80x24, scrolling, Esc back, not counted", "[ui][ledger]") {
  Fixture f;
  int64_t id = f.Add("relevance", "r1");
  f.store.SetState(id, AssignmentState::kApproved, "approved by the requester");
  for (int day = 0; day < 8; ++day) {  // more days than one screen holds
    f.store.TEST_AddLegacyActiveTime("alice", id, 3'600'000, true);
    f.store.TEST_AddLegacyActiveTime("alice", std::nullopt, 600'000, false);
    f.clock->Advance(86'400'000);
  }
  f.Start();
  CHECK(Has(f.Screen(), "l ledger"));
  LedgerScreen* screen = OpenLedger(f);
  std::string s = f.Screen();
  INFO(s);
  CheckShows(s, {"mano · Ledger", "Earned per day (USD)", "Esc back"});
  for (int r = 0; r < 24; ++r) CHECK(mano::client::DisplayWidth(f.canvas.Row(r)) <= 80);
  CHECK(f.canvas.AttrAt(23, 0) == kAttrReverse);  // the status line stays

  std::vector<std::string> lines = screen->Lines(78);
  REQUIRE(lines.size() > 20);  // longer than the body: scrolling needed
  const int body = 24 - 4, n = static_cast<int>(lines.size());
  CHECK(Has(f.canvas.Row(1), lines[0]));
  for (int i = 0; i < 40; ++i) f.Press(Key::Named(KeyCode::kDown));
  s = f.Screen();
  CHECK(Has(f.canvas.Row(1), lines[n - body]));  // scrolled to the last page, no further
  CHECK(Has(f.canvas.Row(body), lines.back()));
  CHECK_FALSE(Has(s, "Earned per day (USD)"));
  for (int i = 0; i < 40; ++i) f.Press(Key::Named(KeyCode::kUp));
  CHECK(Has(f.Screen(), "Earned per day (USD)"));

  // Time on the ledger screen is the worker's bookkeeping: neither work nor searching.
  f.clock->Advance(20'000);
  f.Press(Key::Named(KeyCode::kDown));
  f.clock->Advance(20'000);
  f.Press(Key::Named(KeyCode::kEscape));
  CHECK(f.manager->depth() == 1);
  CHECK(Has(f.Screen(), "mano · Queue"));
  f.manager->EndWorkTime();
  int64_t searching = -1;
  for (const auto& row : mano::client::ledger::ComputeLedger(f.store, {}).rows)
    if (row.period == "total" && row.account == "all") searching = row.searching_ms;
  CHECK(searching == 0);
}

TEST_CASE("ledger screen: idle time on its own line, i counts it in or out", "[ui][ledger]") {
  Fixture f;
  int64_t id = f.Add("relevance", "r1");
  using mano::client::ledger::FocusOn;
  mano::client::ledger::WriteFocusMark(f.store, {FocusOn::kTask, "alice", id}, "cli");
  f.clock->Advance(2 * 3'600'000);  // two hours without a sign of life
  mano::client::ledger::WriteFocusMark(f.store, {FocusOn::kTask, "alice", id}, "cli");
  f.clock->Advance(60'000);
  f.store.SetState(id, AssignmentState::kQueued, "");
  f.Start();
  REQUIRE(OpenLedger(f) != nullptr);
  std::string s = f.Screen();
  INFO(s);
  CHECK(Has(s, "Idle 2:00 (no input for over 10 min, or asleep): not counted"));
  CHECK(Has(s, "i idle time"));
  f.Press(Key::Char(U'i'));
  s = f.Screen();
  CHECK(Has(s, "Idle 2:00 (no input for over 10 min, or asleep): counted"));
  CHECK(Has(s, "2:01"));  // the hours now hold the idle two hours and the minute of work
}

TEST_CASE("ledger screen: the requesters section follows the bars", "[ui][ledger]") {
  Fixture f;
  const int64_t id = f.Add("relevance", "r1");
  auto a = *f.store.GetAssignment(id);
  auto server = mano::sync::Assignment::FromJson(a.payload);
  server.requester = mano::sync::Requester{"A1", "Acme Search"};
  a.payload = server.ToJson();
  f.store.UpsertAssignment(a);
  f.store.TEST_AddLegacyActiveTime("alice", id, 600'000, true);
  f.store.SetState(id, AssignmentState::kRejected, "copied answers");
  f.Start();
  LedgerScreen* screen = OpenLedger(f);
  std::string all;
  for (const auto& line : screen->Lines(78)) {
    CHECK(mano::client::DisplayWidth(line) <= 78);
    all += line + "\n";
  }
  INFO(all);
  CHECK(Has(all, "Requesters, from your own record"));
  CHECK(Has(all, "Acme Search (A"));
  CHECK(Has(all, "100.0"));  // rejection rate
  CHECK(Has(all, "1 x copied answers"));
}

// The UI's work time (issue 13): a task counts from opening it to leaving it, wall clock,
// whatever is typed (reading a page in another program is work); the queue is "searching";
// quitting ends the time. ManualClock: exact times.
#include <catch2/catch.hpp>

#include "mano/client/ledger/ledger.h"
#include "screen_fixture.h"

using namespace mano::client::ui;
using test::Fixture;

namespace {

mano::client::ledger::LedgerRow Total(mano::storage::Store& store) {
  for (const auto& row : mano::client::ledger::ComputeLedger(store, {}).rows)
    if (row.period == "total" && row.account == "all") return row;
  return {};
}

}  // namespace

TEST_CASE("work time: a task open 150 s with 10 s of typing counts 150 s", "[ui][ledger]") {
  Fixture f;
  f.Add("transcription", "t1");
  f.Start();
  f.clock->Advance(4'000);               // 4 s looking at the queue
  f.Press(Key::Named(KeyCode::kEnter));  // the task opens
  REQUIRE(f.Task());
  f.clock->Advance(140'000);  // reading the result page in a browser: no key here
  for (int i = 0; i < 10; ++i) {
    f.Type("a");
    f.clock->Advance(1'000);
  }
  f.Press(Key::Named(KeyCode::kEscape));  // back to the queue at 150 s
  f.clock->Advance(20'000);
  f.owned.reset();  // quitting ends the time
  const auto total = Total(f.store);
  CHECK(total.pending_ms == 150'000);  // open, not yet sent
  CHECK(total.searching_ms == 24'000);
  CHECK(total.idle_ms == 0);
  int marks = 0;
  for (const auto& e : f.store.ListJournal()) marks += e.type == "focus";
  CHECK(marks >= 4);  // queue, task, a key after 140 s, queue, none
}

TEST_CASE("work time: no input for over 10 minutes on a task is idle", "[ui][ledger]") {
  Fixture f;
  f.Add("transcription", "t1");
  f.StartOnFirstTask();
  f.clock->Advance(60'000);
  f.Type("a");
  f.clock->Advance(2 * 3'600'000);  // away for two hours
  f.Type("b");
  f.clock->Advance(30'000);
  f.owned.reset();
  const auto total = Total(f.store);
  CHECK(total.pending_ms == 90'000);
  CHECK(total.idle_ms == 2 * 3'600'000);
}

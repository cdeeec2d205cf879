// The UI measures active time with the ledger's tracker: keys on a task screen become paid
// time in the store, the queue's time is unpaid, an idle gap counts only its first minute,
// and the time is written by the flush tick and on quit (ManualClock: exact times).
#include <catch2/catch.hpp>

#include "screen_fixture.h"

using namespace mano::client::ui;
using test::Fixture;

TEST_CASE("active time: keys on a task count, idle gaps do not", "[ui][ledger]") {
  Fixture f;
  int64_t id = f.Add("transcription", "t1");
  f.Start();
  const int64_t t0 = f.clock->MonotonicMs();
  f.Press(Key::Named(KeyCode::kDown));  // a key on the queue: unpaid time starts
  f.clock->Advance(4'000);
  f.Press(Key::Named(KeyCode::kEnter));  // 4 s on the queue, then the task
  REQUIRE(f.Task());
  f.clock->Advance(10'000);
  f.Type("a");
  f.clock->Advance(5'000);
  f.Type("b");
  // Nothing is written on the input path.
  CHECK(f.store.ActiveTimeTotals("alice", id).paid_ms == 0);

  // The flush tick is due 30 s after the first key; it writes 15 s typed + 11 s since.
  auto due = f.manager->NextTickMs();
  REQUIRE(due);
  CHECK(*due <= t0 + ScreenManager::kActiveFlushMs);
  f.clock->Advance(t0 + ScreenManager::kActiveFlushMs - f.clock->MonotonicMs());
  f.manager->RunTicks(f.clock->MonotonicMs());
  CHECK(f.store.ActiveTimeTotals("alice", id).paid_ms == 26'000);
  CHECK(f.store.ActiveTimeTotals("").unpaid_ms == 4'000);

  // Ten idle minutes: only the minute after the last key counts.
  f.clock->Advance(600'000);
  f.Type("c");
  f.clock->Advance(2'000);
  f.Press(Key::Named(KeyCode::kEscape));  // back to the queue: 2 more seconds on the task
  f.clock->Advance(600'000);              // idle on the queue: its first minute is unpaid
  f.owned.reset();                        // quitting writes what is pending
  auto task = f.store.ActiveTimeTotals("alice", id);
  CHECK(task.paid_ms == 15'000 + 60'000 + 2'000);  // typing, the minute after 'b', 2 s
  CHECK(task.unpaid_ms == 0);
  CHECK(f.store.ActiveTimeTotals("").unpaid_ms == 4'000 + 60'000);
  int entries = 0;
  for (const auto& e : f.store.ListJournal()) entries += e.type == "active_time";
  CHECK(entries >= 2);
}

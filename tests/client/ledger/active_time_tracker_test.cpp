#include "mano/client/ledger/active_time_tracker.h"

#include <catch2/catch.hpp>

#include "ledger_fixture.h"

using mano::client::ledger::ActiveTimeTracker;
using mano::client::ledger::ScreenKind;
using mano::test::LedgerFixture;

namespace {
constexpr int64_t kSecond = 1000;
}

TEST_CASE("keys at known instants give exact active time, idle gaps excluded") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 25000);
  ActiveTimeTracker tracker(f.store(), f.clock());

  tracker.OnScreen(ScreenKind::kQueue, "", std::nullopt);
  tracker.OnKey();                  // t = 0
  f.clock().Advance(10 * kSecond);  // 10 s on the queue, key at 0: counts
  tracker.OnKey();
  f.clock().Advance(5 * kSecond);
  tracker.OnKey();  // the key that opens the task
  tracker.OnScreen(ScreenKind::kTask, "acme", id);
  f.clock().Advance(20 * kSecond);  // typing: counts
  tracker.OnKey();
  f.clock().Advance(90 * kSecond);  // idle 90 s: only the first minute counts
  tracker.OnKey();
  f.clock().Advance(30 * kSecond);
  tracker.Flush();

  const auto queue = f.store().ActiveTimeTotals("");
  CHECK(queue.paid_ms == 0);
  CHECK(queue.unpaid_ms == 15 * kSecond);
  const auto task = f.store().ActiveTimeTotals("acme", id);
  CHECK(task.paid_ms == (20 + 60 + 30) * kSecond);
  CHECK(task.unpaid_ms == 0);
  CHECK(tracker.FlushedMs() == 125 * kSecond);
  CHECK(tracker.PendingMs() == 0);
}

TEST_CASE("a long absence counts one minute after the last key and nothing more") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 25000);
  ActiveTimeTracker tracker(f.store(), f.clock());
  tracker.OnScreen(ScreenKind::kTask, "acme", id);
  tracker.OnKey();
  f.clock().Advance(3 * LedgerFixture::kHour);  // lunch, the task left on screen
  tracker.Flush();
  CHECK(f.store().ActiveTimeTotals("acme", id).paid_ms == 60 * kSecond);
  // Flushing again with no new key adds nothing.
  f.clock().Advance(10 * kSecond);
  tracker.Flush();
  CHECK(f.store().ActiveTimeTotals("acme", id).paid_ms == 60 * kSecond);
}

TEST_CASE("no key, no time; the ledger screen and no screen do not count") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 25000);
  ActiveTimeTracker tracker(f.store(), f.clock());
  tracker.OnScreen(ScreenKind::kTask, "acme", id);
  f.clock().Advance(30 * kSecond);  // shown, but never touched
  tracker.OnScreen(ScreenKind::kLedger, "acme", std::nullopt);
  tracker.OnKey();
  f.clock().Advance(30 * kSecond);
  tracker.OnScreen(ScreenKind::kNone, "", std::nullopt);
  tracker.OnKey();
  f.clock().Advance(30 * kSecond);
  tracker.Flush();
  CHECK(tracker.FlushedMs() == 0);
  CHECK(f.store().ActiveTimeTotals("acme").paid_ms == 0);
  CHECK(f.store().ActiveTimeTotals("acme").unpaid_ms == 0);
  CHECK(f.store().ActiveTimeTotals("").unpaid_ms == 0);
}

TEST_CASE("instructions are unpaid time on the assignment; each flush is a journal entry") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 25000);
  const auto before = f.store().ListJournal().size();
  ActiveTimeTracker tracker(f.store(), f.clock());
  tracker.OnScreen(ScreenKind::kInstructions, "acme", id);
  tracker.OnKey();
  f.clock().Advance(40 * kSecond);
  tracker.OnKey();
  tracker.OnScreen(ScreenKind::kTask, "acme", id);
  f.clock().Advance(50 * kSecond);
  CHECK(tracker.PendingMs() == 40 * kSecond);  // measured up to the last call
  tracker.Flush();
  const auto totals = f.store().ActiveTimeTotals("acme", id);
  CHECK(totals.unpaid_ms == 40 * kSecond);
  CHECK(totals.paid_ms == 50 * kSecond);
  const auto journal = f.store().ListJournal();
  REQUIRE(journal.size() == before + 2);
  for (size_t i = before; i < journal.size(); ++i) {
    CHECK(journal[i].type == "active_time");
    CHECK(journal[i].assignment_id == id);
  }
  CHECK(f.store().VerifyJournal().ok);
}

TEST_CASE("a wall clock jumping back does not change measured time") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A1", 25000);
  ActiveTimeTracker tracker(f.store(), f.clock());
  tracker.OnScreen(ScreenKind::kTask, "acme", id);
  tracker.OnKey();
  f.clock().Advance(20 * kSecond);
  f.clock().SetNow(f.clock().NowMs() - 20LL * 365 * 24 * LedgerFixture::kHour);  // dead CMOS
  tracker.OnKey();
  f.clock().Advance(15 * kSecond);
  tracker.Flush();
  CHECK(f.store().ActiveTimeTotals("acme", id).paid_ms == 35 * kSecond);
}

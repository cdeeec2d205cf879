// ActiveTimeTracker: measures the worker's active time for the ledger, from what the UI
// reports (which screen is shown, when a key is pressed), and writes it to the work journal.
//
// Rule: an instant counts when a screen that counts is shown AND a key was pressed within
// the last `idle_ms` (default one minute). So a key at t counts the time from t until the
// next key, at most idle_ms; a longer idle gap counts only its first idle_ms (the minute
// after the last key) and nothing after. Durations come from Clock::MonotonicMs, so a wall
// clock that jumps does not create or destroy time.
//
// What is written (Store::AddActiveTime, one "active_time" journal entry per bucket):
//   kTask with an assignment   -> (account, assignment, paid = true): "paid if approved";
//                                 the Ledger re-classifies it as unpaid when the assignment
//                                 is later rejected, returned or expired.
//   kInstructions, kOther      -> (account, assignment or none, paid = false)
//   kQueue                     -> (account "" unless given, no assignment, paid = false)
//   kLedger, kNone             -> not counted (the worker's own bookkeeping, nothing shown)
//
// How the terminal UI calls it (all from the UI thread):
//   tracker.OnScreen(ScreenKind::kQueue, "", std::nullopt);      // queue shown
//   tracker.OnScreen(ScreenKind::kTask, "acme", 42);             // task 42 shown
//   tracker.OnKey();                                              // every key the worker types
//   tracker.Flush();   // from the idle/autosave timer (e.g. every 30 s), on screen changes if
//                      // convenient, and before quitting. Flush is the ONLY method that
//                      // writes (a durable SQLite commit); OnScreen/OnKey never touch the
//                      // disk, so typing never waits for it. Time not yet flushed is lost
//                      // in a crash (at most one flush period).
// A journal entry's time is the flush time: flush at least every few minutes so that time
// lands on the right day in the ledger.
// Thread safety: none; one tracker per UI, used from one thread. The Store must outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "mano/storage/clock.h"
#include "mano/storage/store.h"

namespace mano::client::ledger {

enum class ScreenKind { kNone, kQueue, kInstructions, kTask, kOther, kLedger };

class ActiveTimeTracker {
 public:
  static constexpr int64_t kDefaultIdleMs = 60'000;

  // `clock` is usually store.clock(); tests pass a ManualClock shared with the store.
  ActiveTimeTracker(storage::Store& store, storage::Clock& clock, int64_t idle_ms = kDefaultIdleMs);
  ActiveTimeTracker(const ActiveTimeTracker&) = delete;
  ActiveTimeTracker& operator=(const ActiveTimeTracker&) = delete;

  // The screen now shown. `account` and `assignment_id` (local id) say whose time it is.
  void OnScreen(ScreenKind kind, const std::string& account, std::optional<int64_t> assignment_id);
  // A key was pressed (any key, including the one that changed the screen).
  void OnKey();
  // Writes the time accumulated so far; throws StoreError (the time stays pending and is
  // written by the next successful Flush).
  void Flush();

  // Time measured but not yet written, in ms (for the status line and tests).
  int64_t PendingMs() const;
  // Time written by this tracker since it was made, in ms.
  int64_t FlushedMs() const { return flushed_ms_; }

 private:
  // (account, assignment id or -1, paid)
  using Bucket = std::tuple<std::string, int64_t, bool>;
  void Accrue();

  storage::Store& store_;
  storage::Clock& clock_;
  int64_t idle_ms_;
  ScreenKind kind_ = ScreenKind::kNone;
  std::string account_;
  std::optional<int64_t> assignment_;
  std::optional<int64_t> last_key_mono_;
  int64_t accounted_until_mono_ = 0;
  std::map<Bucket, int64_t> pending_;
  int64_t flushed_ms_ = 0;
};

}  // namespace mano::client::ledger

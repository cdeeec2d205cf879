// WorkTimeTracker: the terminal UI's side of work time (work_time.h). It is told what the UI
// shows and when a key comes, and writes focus marks into the work journal:
//   - when the focus changes (a task opened, the queue shown, the UI closed);
//   - on a key, when the last mark is kMarkEveryMs old or more (so that marks are never
//     further apart than that while the worker types or moves about);
//   - with "asleep_ms" when the wall clock moved further than the monotonic clock since the
//     tracker last looked (the machine slept: CLOCK_MONOTONIC stands still in suspend).
// Screens and their focus: a task that is shown (or help/instructions over it) -> the task;
// the queue -> searching; the ledger screen, nothing shown -> none.
// Writes happen on the caller's thread, one small transaction each (about one a minute while
// typing); they throw StoreError, and a failed mark is retried by the next call.
// Thread safety: none; one tracker per UI, used from the UI thread. The Store and the Clock
// must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mano/client/ledger/work_time.h"
#include "mano/storage/clock.h"
#include "mano/storage/store.h"

namespace mano::client::ledger {

class WorkTimeTracker {
 public:
  // Wall minus monotonic growth beyond this between two looks counts as sleep.
  static constexpr int64_t kSleepThresholdMs = 30'000;

  WorkTimeTracker(storage::Store& store, storage::Clock& clock);
  WorkTimeTracker(const WorkTimeTracker&) = delete;
  WorkTimeTracker& operator=(const WorkTimeTracker&) = delete;

  // What the worker is on now; writes a mark when it changed. Throws StoreError.
  void OnFocus(const Focus& focus);
  // A key was pressed. Throws StoreError.
  void OnKey();

  int64_t marks_written() const { return marks_; }

 private:
  // The sleep seen since the last look (0 when none), and the look's clocks updated.
  int64_t TakeSleep();
  void Mark(int64_t asleep_ms);

  storage::Store& store_;
  storage::Clock& clock_;
  Focus focus_;
  std::optional<Focus> written_;  // the focus of the last mark written
  int64_t last_mark_wall_ = 0;
  int64_t look_wall_ = 0, look_mono_ = 0;
  int64_t pending_sleep_ms_ = 0;  // seen but not yet written (a failed write)
  int64_t marks_ = 0;
};

}  // namespace mano::client::ledger

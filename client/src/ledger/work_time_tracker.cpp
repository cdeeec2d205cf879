#include "mano/client/ledger/work_time_tracker.h"

namespace mano::client::ledger {

WorkTimeTracker::WorkTimeTracker(storage::Store& store, storage::Clock& clock)
    : store_(store), clock_(clock), look_wall_(clock.NowMs()), look_mono_(clock.MonotonicMs()) {}

int64_t WorkTimeTracker::TakeSleep() {
  const int64_t wall = clock_.NowMs(), mono = clock_.MonotonicMs();
  const int64_t slept = (wall - look_wall_) - (mono - look_mono_);
  look_wall_ = wall;
  look_mono_ = mono;
  if (slept > kSleepThresholdMs) pending_sleep_ms_ += slept;
  return pending_sleep_ms_;
}

void WorkTimeTracker::Mark(int64_t asleep_ms) {
  WriteFocusMark(store_, focus_, "ui", asleep_ms);
  written_ = focus_;
  pending_sleep_ms_ = 0;
  last_mark_wall_ = clock_.NowMs();
  ++marks_;
}

void WorkTimeTracker::OnFocus(const Focus& focus) {
  const int64_t asleep = TakeSleep();
  focus_ = focus;
  if (written_ != focus_ || asleep > 0) Mark(asleep);
}

void WorkTimeTracker::OnKey() {
  const int64_t asleep = TakeSleep();
  if (!written_ || written_ != focus_ || asleep > 0 ||
      clock_.NowMs() - last_mark_wall_ >= kMarkEveryMs)
    Mark(asleep);
}

}  // namespace mano::client::ledger

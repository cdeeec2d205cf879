#include "mano/client/ledger/active_time_tracker.h"

#include <algorithm>

namespace mano::client::ledger {

ActiveTimeTracker::ActiveTimeTracker(storage::Store& store, storage::Clock& clock, int64_t idle_ms)
    : store_(store), clock_(clock), idle_ms_(idle_ms), accounted_until_mono_(clock.MonotonicMs()) {}

void ActiveTimeTracker::Accrue() {
  const int64_t now = clock_.MonotonicMs();
  // A monotonic clock never goes back; guard anyway so a bad clock cannot add time.
  const int64_t from = std::min(accounted_until_mono_, now);
  accounted_until_mono_ = now;
  if (kind_ == ScreenKind::kNone || kind_ == ScreenKind::kLedger || !last_key_mono_) return;
  const int64_t active_end = std::min(now, *last_key_mono_ + idle_ms_);
  const int64_t active_start = std::max(from, *last_key_mono_);
  if (active_end <= active_start) return;
  const bool on_task = kind_ == ScreenKind::kTask && assignment_.has_value();
  const bool keep_assignment = kind_ != ScreenKind::kQueue;
  Bucket bucket{account_, keep_assignment && assignment_ ? *assignment_ : -1, on_task};
  pending_[bucket] += active_end - active_start;
}

void ActiveTimeTracker::OnScreen(ScreenKind kind, const std::string& account,
                                 std::optional<int64_t> assignment_id) {
  Accrue();
  kind_ = kind;
  account_ = account;
  assignment_ = assignment_id;
}

void ActiveTimeTracker::OnKey() {
  Accrue();
  last_key_mono_ = clock_.MonotonicMs();
}

void ActiveTimeTracker::Flush() {
  Accrue();
  while (!pending_.empty()) {
    auto it = pending_.begin();
    const auto& [account, assignment, paid] = it->first;
    if (it->second > 0) {
      store_.AddActiveTime(account,
                           assignment >= 0 ? std::optional<int64_t>(assignment) : std::nullopt,
                           it->second, paid);
      flushed_ms_ += it->second;
    }
    pending_.erase(it);
  }
}

int64_t ActiveTimeTracker::PendingMs() const {
  int64_t total = 0;
  for (const auto& [bucket, ms] : pending_) total += ms;
  return total;
}

}  // namespace mano::client::ledger

#include "pass_progress.h"

namespace mano::sync {

void PassProgress::Report(const char* phase, int64_t done, int64_t total, int64_t bytes,
                          int64_t bytes_total) {
  if (!sink_) return;
  const int64_t now = clock_.MonotonicMs();
  if (phase_ != phase) {  // a new phase: rate and time left are measured from here
    phase_ = phase;
    phase_started_ms_ = now;
  }
  Progress progress;
  progress.account = account_;
  progress.phase = phase;
  progress.items_done = done;
  progress.items_total = total;
  progress.bytes_done = bytes;
  progress.bytes_total = bytes_total;
  const int64_t elapsed = now - phase_started_ms_;
  if (elapsed > 0 && bytes > 0) {
    progress.rate_bytes_per_s = bytes * 1000 / elapsed;
    if (bytes_total > bytes && progress.rate_bytes_per_s > 0) {
      progress.eta_ms = (bytes_total - bytes) * 1000 / progress.rate_bytes_per_s;
    }
  } else if (elapsed > 0 && done > 0 && total > done) {
    progress.eta_ms = (total - done) * elapsed / done;
  }
  sink_->OnProgress(progress);
}

}  // namespace mano::sync

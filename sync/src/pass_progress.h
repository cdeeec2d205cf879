// PassProgress: what a sync pass tells its ProgressSink (phase, items, bytes, rate, time
// left), timed through the Store's Clock seam so tests drive it. Does nothing without a sink.
// Internal to the engine; single-threaded, lives for one pass.
#pragma once

#include <cstdint>
#include <string>

#include "mano/storage/clock.h"
#include "mano/sync/sync_engine.h"

namespace mano::sync {

class PassProgress {
 public:
  PassProgress(ProgressSink* sink, std::string account, storage::Clock& clock)
      : sink_(sink), account_(std::move(account)), clock_(clock) {}

  // Rate and time left are measured from the first report of a phase.
  void Report(const char* phase, int64_t done, int64_t total, int64_t bytes = 0,
              int64_t bytes_total = 0);

 private:
  ProgressSink* sink_;
  std::string account_;
  storage::Clock& clock_;
  std::string phase_;
  int64_t phase_started_ms_ = 0;  // monotonic
};

}  // namespace mano::sync

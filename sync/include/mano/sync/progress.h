// ProgressSink: how the engine tells a front end what it is doing during a pass (items,
// bytes, rate, time left). The CLI implements it only when stdout is a terminal; on a
// pipe it passes none and nothing is printed. The terminal UI may implement it too.
// Calls come from the engine's threads (one per account during a pass), one call at a time
// (the engine serialises them); an implementation must be quick and must not call back
// into the engine.
#pragma once

#include <cstdint>
#include <string>

namespace mano::sync {

struct Progress {
  std::string account;
  std::string phase;  // "anchors", "upload", "events", "claim", "assets"
  int64_t items_done = 0;
  int64_t items_total = 0;
  int64_t bytes_done = 0;   // of the phase's transfer, when known
  int64_t bytes_total = 0;  // 0: unknown
  int64_t rate_bytes_per_s = 0;
  int64_t eta_ms = -1;  // -1: unknown
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnProgress(const Progress& progress) = 0;
  // The pass for `account` ended (the line can be closed).
  virtual void OnAccountDone(const std::string& account) { (void)account; }
};

}  // namespace mano::sync

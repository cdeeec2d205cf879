#pragma once

// StopSignals: turns SIGTERM and SIGINT into an event on the Poller (via signalfd), so
// the single loop can finish cleanly (the control socket file is removed, connections
// are closed). Blocks those signals for the process and ignores SIGPIPE. Construct it
// before any other thread exists. Not thread-safe.

#include "mano/sync/unique_fd.h"
#include "poller.h"

namespace mano::flakynet {

class StopSignals : public EventHandler {
 public:
  explicit StopSignals(Poller& poller);
  ~StopSignals() override;

  bool stop_requested() const { return stop_requested_; }
  void OnEvent(int fd, uint32_t events) override;

 private:
  Poller& poller_;
  sync::UniqueFd fd_;
  bool stop_requested_ = false;
};

}  // namespace mano::flakynet

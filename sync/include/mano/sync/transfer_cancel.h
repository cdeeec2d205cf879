// TransferCancel: stops every transfer of the transports that share it, at once, from any
// thread — so quitting the UI never waits for a stalled link (curl's own progress callback
// runs only about once a second on an idle socket).
// The transport opens its sockets through Open() and closes them through Close(); Cancel()
// shuts every open socket down (shutdown(2), never close: the descriptor stays curl's),
// which wakes a blocked transfer at once, and Open() refuses new sockets from then on.
// Thread safety: every method is thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <set>

namespace mano::sync {

class TransferCancel {
 public:
  void Cancel();
  bool cancelled() const { return cancelled_.load(); }
  // socket(2) with these arguments (close-on-exec), registered; -1 once cancelled.
  int Open(int domain, int type, int protocol);
  // Unregisters and closes a socket opened by Open().
  int Close(int fd);

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;  // held across socket()/close() so a cancelled fd is never reused
  std::set<int> open_;
};

}  // namespace mano::sync

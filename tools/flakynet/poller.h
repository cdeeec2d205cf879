#pragma once

// Poller: a thin RAII wrapper over one epoll instance, level-triggered. Each watched fd
// has one EventHandler. Setting an fd's interest to 0 removes it from epoll altogether,
// so a paused socket cannot spin the loop with EPOLLHUP/EPOLLERR (which epoll reports
// even when not asked for). Handlers must tolerate spurious events (a read that returns
// EAGAIN), since an fd number can be reused within one batch.
//
// Errors from epoll itself throw std::system_error. Not thread-safe.

#include <sys/epoll.h>

#include <cstdint>
#include <unordered_map>

#include "mano/sync/unique_fd.h"

namespace mano::flakynet {

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void OnEvent(int fd, uint32_t events) = 0;
};

class Poller {
 public:
  Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Watches `fd` for `events` (EPOLLIN, EPOLLOUT, EPOLLRDHUP...) on behalf of `handler`;
  // events == 0 stops watching. Cheap when nothing changes.
  void Watch(int fd, uint32_t events, EventHandler* handler);

  // Stops watching `fd` (call before closing it). No-op if not watched.
  void Forget(int fd);

  // Waits up to `timeout_ms` (-1 = forever) and dispatches the events that arrived.
  // Returns the number of events (0 on timeout or EINTR).
  int WaitAndDispatch(int timeout_ms);

 private:
  struct Entry {
    uint32_t events;
    EventHandler* handler;
  };
  sync::UniqueFd epoll_;
  std::unordered_map<int, Entry> entries_;
};

}  // namespace mano::flakynet

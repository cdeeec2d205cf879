#include "poller.h"

#include <cerrno>
#include <system_error>

namespace mano::flakynet {

Poller::Poller() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_.valid()) throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

void Poller::Watch(int fd, uint32_t events, EventHandler* handler) {
  auto it = entries_.find(fd);
  if (events == 0) {
    Forget(fd);
    return;
  }
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (it == entries_.end()) {
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
      throw std::system_error(errno, std::generic_category(), "epoll_ctl add");
    }
    entries_[fd] = {events, handler};
    return;
  }
  it->second.handler = handler;
  if (it->second.events == events) return;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl mod");
  }
  it->second.events = events;
}

void Poller::Forget(int fd) {
  auto it = entries_.find(fd);
  if (it == entries_.end()) return;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  entries_.erase(it);
}

int Poller::WaitAndDispatch(int timeout_ms) {
  epoll_event events[64];
  int n = ::epoll_wait(epoll_.get(), events, 64, timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return 0;
    throw std::system_error(errno, std::generic_category(), "epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    // Look the fd up again for each event: an earlier handler may have closed it.
    auto it = entries_.find(events[i].data.fd);
    if (it == entries_.end()) continue;
    it->second.handler->OnEvent(events[i].data.fd, events[i].events);
  }
  return n;
}

}  // namespace mano::flakynet

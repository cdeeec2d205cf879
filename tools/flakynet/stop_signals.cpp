#include "stop_signals.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace mano::flakynet {

StopSignals::StopSignals(Poller& poller) : poller_(poller) {
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) {
    throw std::system_error(errno, std::generic_category(), "sigprocmask");
  }
  fd_.Reset(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd_.valid()) throw std::system_error(errno, std::generic_category(), "signalfd");
  poller_.Watch(fd_.get(), EPOLLIN, this);
}

StopSignals::~StopSignals() { poller_.Forget(fd_.get()); }

void StopSignals::OnEvent(int fd, uint32_t /*events*/) {
  signalfd_siginfo info;
  while (::read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    stop_requested_ = true;
  }
}

}  // namespace mano::flakynet

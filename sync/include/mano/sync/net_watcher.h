// NetWatcher: tells the sync loop, without polling, that the machine's network changed
// (a link went up or down, a route or address appeared): a Linux netlink socket joined to
// RTMGRP_LINK | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_IFADDR |
// RTMGRP_IPV6_IFADDR. Its fd becomes readable on a change; poll() it beside other fds and
// call Drain() when it is.
// If netlink is unavailable (not Linux, sandbox), fd() is -1 and the loop simply relies on
// its timeouts: that is a degraded mode, not an error.
// Thread safety: not thread-safe; owned by the loop that polls it.
#pragma once

#include <string>

#include "mano/sync/unique_fd.h"

namespace mano::sync {

class NetWatcher {
 public:
  NetWatcher();

  int fd() const { return fd_.get(); }
  bool available() const { return fd_.valid(); }
  const std::string& error() const { return error_; }  // why unavailable

  // Reads every pending message without blocking. Returns true when at least one was a
  // link, route or address change.
  bool Drain();

 private:
  UniqueFd fd_;
  std::string error_;
};

}  // namespace mano::sync

#include "mano/sync/net_watcher.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace mano::sync {

NetWatcher::NetWatcher() {
  fd_.Reset(socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd_.valid()) {
    error_ = std::string("netlink socket: ") + std::strerror(errno);
    return;
  }
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups =
      RTMGRP_LINK | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    error_ = std::string("netlink bind: ") + std::strerror(errno);
    fd_.Reset();
  }
}

bool NetWatcher::Drain() {
  if (!fd_.valid()) return false;
  bool changed = false;
  alignas(nlmsghdr) char buffer[8192];
  for (;;) {
    const ssize_t n = recv(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {  // the kernel dropped messages: something surely changed
        changed = true;
        continue;
      }
      break;  // EAGAIN: drained
    }
    if (n == 0) break;
    int left = static_cast<int>(n);
    for (auto* header = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(header, left);
         header = NLMSG_NEXT(header, left)) {
      switch (header->nlmsg_type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
        case RTM_NEWADDR:
        case RTM_DELADDR:
          changed = true;
          break;
        default:
          break;
      }
    }
  }
  return changed;
}

}  // namespace mano::sync

#include "mano/sync/net_watcher.h"

#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "child_process.h"

using mano::sync::NetWatcher;

namespace {

// In a child: a fresh user + network namespace (no privileges needed), a watcher, then
// the loopback link brought up. Exit codes: 0 seen, 1 not seen, 2 no namespaces here.
int ChildBringsLoopbackUp() {
  if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) return 2;
  NetWatcher watcher;
  if (!watcher.available()) return 3;
  if (watcher.Drain()) return 4;  // nothing happened yet
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFFLAGS, &request) != 0) return 2;
  request.ifr_flags |= IFF_UP;
  if (ioctl(fd, SIOCSIFFLAGS, &request) != 0) return 2;
  close(fd);
  pollfd readable{watcher.fd(), POLLIN, 0};
  if (poll(&readable, 1, 5000) != 1) return 1;
  if (!watcher.Drain()) return 1;
  if (watcher.Drain()) return 5;  // drained: quiet again
  return 0;
}

}  // namespace

TEST_CASE("the netlink socket opens and is quiet when nothing changes", "[netwatch]") {
  NetWatcher watcher;
  if (!watcher.available()) {
    WARN("netlink unavailable: " << watcher.error());
    return;
  }
  CHECK(watcher.fd() >= 0);
}

TEST_CASE("a link coming up makes the fd readable", "[netwatch]") {
  const int status = mano::test::ChildProcess::Fork(ChildBringsLoopbackUp).Wait();
  REQUIRE(status < 128);  // exited, not killed
  if (status == 2) {
    WARN("user namespaces unavailable here: link change not exercised");
    return;
  }
  CHECK(status == 0);
}

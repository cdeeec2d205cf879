// Network changes without privileges, for the tests of what reacts to them: the test runs a
// child (CheckInNetworkNamespace) that enters its own user + network namespace with
// EnterNetworkNamespace and changes the link there, e.g. with BringLoopbackUp. A child
// returns kNoNamespaces when the machine allows none. Linux only; the child's process only.
#pragma once

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <functional>
#include <string>

#include "child_process.h"

namespace mano::test {

// A child's exit code: no user or network namespace here (or the link could not be changed).
inline constexpr int kNoNamespaces = 2;

// In the child: a fresh user + network namespace (its loopback link down). False if refused.
inline bool EnterNetworkNamespace() { return unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0; }

// In the child's namespace: the loopback link set up. False when the kernel refused.
inline bool BringLoopbackUp() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  bool up = ioctl(fd, SIOCGIFFLAGS, &request) == 0;
  if (up) {
    request.ifr_flags |= IFF_UP;
    up = ioctl(fd, SIOCSIFFLAGS, &request) == 0;
  }
  close(fd);
  return up;
}

// Runs `child` in a forked process: it must exit 0. One that was killed fails the test; one
// that returned kNoNamespaces warns that `what` was not exercised here.
inline void CheckInNetworkNamespace(const std::function<int()>& child, const std::string& what) {
  const int status = ChildProcess::Fork(child).Wait();
  REQUIRE(status < 128);  // exited, not killed
  if (status == kNoNamespaces) {
    WARN("user namespaces unavailable here: " << what << " not exercised");
    return;
  }
  CHECK(status == 0);
}

}  // namespace mano::test

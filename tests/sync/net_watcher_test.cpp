#include "mano/sync/net_watcher.h"

#include <poll.h>

#include <catch2/catch.hpp>

#include "network_namespace.h"

using mano::sync::NetWatcher;
using mano::test::kNoNamespaces;

namespace {

// In a child: a fresh user + network namespace (no privileges needed), a watcher, then
// the loopback link brought up. Exit codes: 0 seen, 1 not seen, kNoNamespaces (2) no
// namespaces here.
int ChildBringsLoopbackUp() {
  if (!mano::test::EnterNetworkNamespace()) return kNoNamespaces;
  NetWatcher watcher;
  if (!watcher.available()) return 3;
  if (watcher.Drain()) return 4;  // nothing happened yet
  if (!mano::test::BringLoopbackUp()) return kNoNamespaces;
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
  mano::test::CheckInNetworkNamespace(ChildBringsLoopbackUp, "link change");
}

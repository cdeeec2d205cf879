// LoggedInWorld: a real manod with its sample tasks and a `mano` logged in to it as worker
// "alice", nothing claimed yet; the fixture of the command-line tests that start there
// (TEST_CASE_METHOD). Test thread only.
#pragma once

#include "mano_runner.h"
#include "manod_process.h"

namespace mano::test {

struct LoggedInWorld {
  LoggedInWorld() { runner.LogIn(server); }

  ManodProcess server;
  ManoRunner runner;
};

}  // namespace mano::test

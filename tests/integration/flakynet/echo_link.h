#pragma once

// EchoLink: an echo LoopbackServer behind a flakynet started with its defaults, the usual
// fixture of the flakynet tests (TEST_CASE_METHOD): `net.port()` is where a client connects.
// The members stop in reverse order: flakynet first, then the server.

#include "flakynet_process.h"
#include "loopback_server.h"

namespace mano::test {

struct EchoLink {
  LoopbackServer echo{LoopbackServer::Mode::kEcho};
  FlakynetProcess net = FlakynetProcess::ToPort(echo.port());
};

}  // namespace mano::test

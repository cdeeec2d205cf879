#include "mano/client/cli_app.h"

#include <cstdio>

namespace mano::client {
int RunCli(int, char**) {
  std::fputs("mano: the command line is being built.\n", stderr);
  return 1;
}
}  // namespace mano::client

// The `mano` program: everything lives in mano::client (cli_app.h).
#include "mano/client/cli_app.h"

int main(int argc, char** argv) { return mano::client::RunCli(argc, argv); }

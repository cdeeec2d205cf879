// RunCli: the whole `mano` command line (documented in docs/CLI.md). Parses the global
// options (--data-dir, --lang, --config) and one command, sets up the worker's language
// and config, runs the command and maps any error to an exit code (exit_code.h) with one
// translated sentence on stderr. `mano` with no command opens the terminal UI (until it
// exists: the help and a note). Call once per process, from main.
#pragma once

namespace mano::client {

int RunCli(int argc, char** argv);

}  // namespace mano::client

// Where a worker's data lives. One SQLite database per data directory.
// Precedence: an explicit directory (--data-dir), then $MANO_HOME, then
// $XDG_DATA_HOME/mano, then ~/.local/share/mano. Thread-safe (reads the environment only).
#pragma once

#include <string>

namespace mano::storage {

// Returns the data directory to use; `explicit_dir` wins when not empty.
std::string ResolveDataDir(const std::string& explicit_dir);

// Creates `dir` (and parents) if missing and sets it to 0700. Throws StoreError
// naming the path when it cannot.
void EnsurePrivateDir(const std::string& dir);

}  // namespace mano::storage

// The one way the project replaces a small file (the UI's last screen, a zstd dictionary,
// manod's port file, the ledger's exports): write a temporary file beside it, fsync it,
// rename it over the old one, fsync the folder. A reader sees the old bytes or the new ones,
// never half; after a power cut the name holds one of the two. Thread-safe (each call uses
// its own temporary name).
#pragma once

#include <string>
#include <string_view>

namespace mano::storage {

// Replaces `path` with `bytes`. A new file gets `mode` less the process's umask; an existing
// file's mode is not kept. Returns false with errno set when any step fails; the temporary file
// is removed then and `path` is untouched.
[[nodiscard]] bool WriteFileAtomically(const std::string& path, std::string_view bytes,
                                       unsigned mode = 0600);

}  // namespace mano::storage

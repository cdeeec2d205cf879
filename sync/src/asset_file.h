// AssetFile: one downloaded asset's file, opened read-write (created 0600 when missing) and
// closed by the destructor. Every call checks its system call: a failure is a
// SyncError{kStorage} naming the file and the system's reason, never ignored.
// Not thread-safe; one per download.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mano/sync/unique_fd.h"

namespace mano::sync {

class AssetFile {
 public:
  explicit AssetFile(std::string path);  // throws kStorage when it cannot be opened

  // Cuts (or extends with zeros) the file to `size` bytes.
  void Truncate(int64_t size);
  // Writes all of `bytes` at `offset`, retrying short writes and EINTR.
  void WriteAt(std::string_view bytes, int64_t offset);
  // The written bytes reach the disk (fdatasync).
  void Sync();
  // Lower-case hex SHA-256 of the whole file.
  std::string Sha256Hex();

 private:
  [[noreturn]] void Fail(const char* what) const;
  std::string path_;
  UniqueFd fd_;
};

}  // namespace mano::sync

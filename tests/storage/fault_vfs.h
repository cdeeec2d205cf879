// FaultVfs: an SQLite VFS shim for fault tests only. It wraps the default (unix) VFS and
//  - simulates power loss: it remembers, per file, the old bytes under every write that
//    has not yet been followed by an xSync of that file; PowerLoss() puts them back and
//    truncates to the synced size, so the files hold exactly what was durable (the way
//    SQLite's own crash tests model a power cut). CrashAfterOps(n) makes the machine "die"
//    after n more writes/syncs: from then on every write, sync, truncate and delete fails.
//  - simulates a full disk: after a byte budget, writes fail with SQLITE_FULL (ENOSPC).
//  - simulates a read-only file system: writes fail with SQLITE_IOERR_WRITE and errno EROFS.
// Memory-mapped I/O is not offered (io_methods version 2) so every write is seen.
// Thread safety: one global instance guarded by a mutex; tests use it from one thread.
#pragma once

#include <cstdint>

namespace mano::storage::test {

class FaultVfs {
 public:
  static constexpr const char* kName = "mano-fault";
  // Registers the VFS (not as default) on first use.
  static FaultVfs& Instance();

  void Reset();                        // no faults, forget all logs
  void SetWriteBudget(int64_t bytes);  // -1: unlimited
  void SetReadOnly(bool read_only);
  void CrashAfterOps(int64_t ops);  // -1: never
  // false: xSync only marks the file durable in the model, skipping the real fsync (the
  // power-loss test decides durability itself and runs much faster). Reset() sets true.
  void SetRealSync(bool real_sync);
  bool crashed() const;
  int64_t ops() const;  // writes + syncs seen since Reset
  // Restores every tracked file to its last-synced state and clears the crash.
  // Call with no connection open on the files.
  void PowerLoss();

 private:
  FaultVfs() = default;
};

}  // namespace mano::storage::test

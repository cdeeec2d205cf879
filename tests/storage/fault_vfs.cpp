#include "fault_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mano::storage::test {
namespace {

struct Undo {
  int64_t offset;
  std::string old_bytes;
};

struct FileLog {
  int64_t synced_size = -1;  // size at the last sync; -1: no unsynced change
  std::vector<Undo> undo;
};

struct State {
  std::mutex mu;
  std::map<std::string, FileLog> logs;
  int64_t budget = -1;
  bool read_only = false;
  int64_t crash_after = -1;
  bool crashed = false;
  int64_t ops = 0;
  int last_errno = 0;
  bool real_sync = true;
  sqlite3_vfs* real = nullptr;
  sqlite3_vfs vfs{};
  sqlite3_io_methods methods{};
};

State& S() {
  static State s;
  return s;
}

struct File {
  sqlite3_file base;
  sqlite3_file* real;
  const char* path;  // null: not tracked (temp files)
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

// Counts one write/sync; returns true if the machine is (now) dead.
bool Tick(State& s) {
  if (s.crashed) return true;
  ++s.ops;
  if (s.crash_after >= 0 && s.ops > s.crash_after) s.crashed = true;
  return s.crashed;
}

int64_t SizeOf(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  real->pMethods->xFileSize(real, &size);
  return size;
}

// Before changing [offset, offset+n) remember what was there (only what exists).
void Remember(State& s, File* f, int64_t offset, int64_t n) {
  if (!f->path) return;
  FileLog& log = s.logs[f->path];
  int64_t size = SizeOf(f->real);
  if (log.synced_size < 0) log.synced_size = size;
  int64_t end = std::min(offset + n, size);
  std::string old;
  if (end > offset) {
    old.resize(end - offset);
    f->real->pMethods->xRead(f->real, old.data(), int(old.size()), offset);
  }
  log.undo.push_back(Undo{offset, std::move(old)});
}

// The faults a changing call meets first: a crash whose time has come (Tick) or a read-only
// file system (errno EROFS). SQLITE_OK to go on, else `ioerr`. Called under s.mu.
int InjectedFault(State& s, int ioerr) {
  if (Tick(s)) return ioerr;
  if (s.read_only) {
    s.last_errno = EROFS;
    return ioerr;
  }
  return SQLITE_OK;
}

int Close(sqlite3_file* f) {
  int rc = Real(f)->pMethods->xClose(Real(f));
  sqlite3_free(Real(f));
  return rc;
}

int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}

int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  auto* file = reinterpret_cast<File*>(f);
  if (int rc = InjectedFault(s, SQLITE_IOERR_WRITE)) return rc;
  if (s.budget >= 0) {
    if (n > s.budget) {
      s.budget = 0;
      s.last_errno = ENOSPC;
      return SQLITE_FULL;
    }
    s.budget -= n;
  }
  Remember(s, file, off, n);
  return file->real->pMethods->xWrite(file->real, buf, n, off);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  auto* file = reinterpret_cast<File*>(f);
  if (int rc = InjectedFault(s, SQLITE_IOERR_TRUNCATE)) return rc;
  int64_t cur = SizeOf(file->real);
  if (cur > size) Remember(s, file, size, cur - size);
  return file->real->pMethods->xTruncate(file->real, size);
}

int Sync(sqlite3_file* f, int flags) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  auto* file = reinterpret_cast<File*>(f);
  if (int rc = InjectedFault(s, SQLITE_IOERR_FSYNC)) return rc;
  int rc = s.real_sync ? file->real->pMethods->xSync(file->real, flags) : SQLITE_OK;
  if (rc == SQLITE_OK && file->path) s.logs.erase(file->path);  // now durable
  return rc;
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int Unlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int CheckReserved(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  State& s = S();
  auto* file = reinterpret_cast<File*>(f);
  file->base.pMethods = nullptr;
  file->real = static_cast<sqlite3_file*>(sqlite3_malloc(s.real->szOsFile));
  if (!file->real) return SQLITE_NOMEM;
  std::memset(file->real, 0, s.real->szOsFile);
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.read_only && (flags & SQLITE_OPEN_CREATE) && name && access(name, F_OK) != 0) {
      s.last_errno = EROFS;
      sqlite3_free(file->real);
      return SQLITE_CANTOPEN;
    }
  }
  int rc = s.real->xOpen(s.real, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    sqlite3_free(file->real);
    return rc;
  }
  file->path = (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL))) ? name : nullptr;
  file->base.pMethods = &s.methods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  State& s = S();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.crashed) return SQLITE_IOERR_DELETE;
    if (s.read_only) {
      s.last_errno = EROFS;
      return SQLITE_IOERR_DELETE;
    }
    s.logs.erase(name);
  }
  return s.real->xDelete(s.real, name, sync_dir);
}

int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return S().real->xAccess(S().real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return S().real->xFullPathname(S().real, name, n, out);
}
int Randomness(sqlite3_vfs*, int n, char* out) { return S().real->xRandomness(S().real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return S().real->xSleep(S().real, us); }
int CurrentTime(sqlite3_vfs*, double* t) { return S().real->xCurrentTime(S().real, t); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
  return S().real->xCurrentTimeInt64(S().real, t);
}
int GetLastError(sqlite3_vfs*, int, char*) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.last_errno ? s.last_errno : errno;
}

}  // namespace

FaultVfs& FaultVfs::Instance() {
  static FaultVfs* instance = [] {
    State& s = S();
    s.real = sqlite3_vfs_find(nullptr);
    s.methods = sqlite3_io_methods{2,
                                   Close,
                                   Read,
                                   Write,
                                   Truncate,
                                   Sync,
                                   FileSize,
                                   Lock,
                                   Unlock,
                                   CheckReserved,
                                   FileControl,
                                   SectorSize,
                                   DeviceCharacteristics,
                                   ShmMap,
                                   ShmLock,
                                   ShmBarrier,
                                   ShmUnmap,
                                   nullptr,
                                   nullptr};
    s.vfs.iVersion = 2;
    s.vfs.szOsFile = sizeof(File);
    s.vfs.mxPathname = s.real->mxPathname;
    s.vfs.zName = kName;
    s.vfs.xOpen = Open;
    s.vfs.xDelete = Delete;
    s.vfs.xAccess = Access;
    s.vfs.xFullPathname = FullPathname;
    s.vfs.xRandomness = Randomness;
    s.vfs.xSleep = Sleep;
    s.vfs.xCurrentTime = CurrentTime;
    s.vfs.xGetLastError = GetLastError;
    s.vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&s.vfs, 0);
    return new FaultVfs();
  }();
  return *instance;
}

void FaultVfs::Reset() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.logs.clear();
  s.budget = -1;
  s.read_only = false;
  s.crash_after = -1;
  s.crashed = false;
  s.ops = 0;
  s.last_errno = 0;
  s.real_sync = true;
}

void FaultVfs::SetRealSync(bool real_sync) {
  std::lock_guard<std::mutex> lock(S().mu);
  S().real_sync = real_sync;
}

void FaultVfs::SetWriteBudget(int64_t bytes) {
  std::lock_guard<std::mutex> lock(S().mu);
  S().budget = bytes;
  S().last_errno = 0;
}

void FaultVfs::SetReadOnly(bool read_only) {
  std::lock_guard<std::mutex> lock(S().mu);
  S().read_only = read_only;
  S().last_errno = 0;
}

void FaultVfs::CrashAfterOps(int64_t ops) {
  std::lock_guard<std::mutex> lock(S().mu);
  S().crash_after = ops < 0 ? -1 : S().ops + ops;
}

bool FaultVfs::crashed() const {
  std::lock_guard<std::mutex> lock(S().mu);
  return S().crashed;
}

int64_t FaultVfs::ops() const {
  std::lock_guard<std::mutex> lock(S().mu);
  return S().ops;
}

void FaultVfs::PowerLoss() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  for (auto& [path, log] : s.logs) {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;  // deleted since
    for (auto it = log.undo.rbegin(); it != log.undo.rend(); ++it)
      if (!it->old_bytes.empty())
        (void)!::pwrite(fd, it->old_bytes.data(), it->old_bytes.size(), it->offset);
    if (log.synced_size >= 0) (void)!::ftruncate(fd, log.synced_size);
    ::close(fd);
  }
  s.logs.clear();
  s.crashed = false;
  s.crash_after = -1;
}

}  // namespace mano::storage::test

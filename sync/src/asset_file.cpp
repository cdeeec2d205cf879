#include "asset_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "mano/storage/sha256.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

AssetFile::AssetFile(std::string path) : path_(std::move(path)) {
  do {
    fd_.Reset(open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  } while (!fd_.valid() && errno == EINTR);
  if (!fd_.valid()) Fail("open");
}

void AssetFile::Fail(const char* what) const {
  throw SyncError(SyncErrorKind::kStorage, "Cannot " + std::string(what) + " the asset file " +
                                               path_ + ": " + std::strerror(errno) + ".");
}

void AssetFile::Truncate(int64_t size) {
  int rc;
  do {
    rc = ftruncate(fd_.get(), static_cast<off_t>(size));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) Fail("truncate");
}

void AssetFile::WriteAt(std::string_view bytes, int64_t offset) {
  while (!bytes.empty()) {
    const ssize_t n = pwrite(fd_.get(), bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail("write");
    }
    if (n == 0) {
      errno = ENOSPC;
      Fail("write");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
}

void AssetFile::Sync() {
  int rc;
  do {
    rc = fdatasync(fd_.get());
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) Fail("flush");
}

std::string AssetFile::Sha256Hex() {
  storage::Sha256 hash;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = pread(fd_.get(), buffer, sizeof buffer, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail("read");
    }
    if (n == 0) break;
    hash.Update(std::string_view(buffer, static_cast<size_t>(n)));
    offset += n;
  }
  const auto digest = hash.Finish();
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace mano::sync

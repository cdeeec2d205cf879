#include "asset_room.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <climits>

namespace mano::sync {
namespace {

constexpr int64_t kCheckEveryBytes = 1 << 20;

int64_t FolderBytes(const std::string& folder) {
  DIR* dir = opendir(folder.c_str());
  if (!dir) return 0;
  int64_t total = 0;
  while (const dirent* entry = readdir(dir)) {
    struct stat st {};
    if (fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
      total += st.st_size;
  }
  closedir(dir);
  return total;
}

}  // namespace

AssetRoom::AssetRoom(std::string folder, const AssetLimits& limits)
    : folder_(std::move(folder)), limits_(limits), used_(FolderBytes(folder_)) {}

int64_t AssetRoom::FreeBytes() const {
  struct statvfs fs {};
  // The folder may not exist yet: its parent (the data folder) is on the same disk.
  if (statvfs(folder_.c_str(), &fs) != 0 && statvfs((folder_ + "/..").c_str(), &fs) != 0) {
    return INT64_MAX;
  }
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
}

bool AssetRoom::Allows(int64_t task_bytes, int64_t bytes, AssetRefusal* refusal) const {
  if (limits_.task_bytes > 0 && task_bytes > limits_.task_bytes) {
    refusal->code = AssetRefusalCode::kTaskTooLarge;
    refusal->bytes = task_bytes;
    refusal->limit = limits_.task_bytes;
    return false;
  }
  refusal->bytes = bytes;
  if (limits_.folder_bytes > 0 && used_ + bytes > limits_.folder_bytes) {
    refusal->code = AssetRefusalCode::kFolderFull;
    refusal->limit = limits_.folder_bytes;
    return false;
  }
  if (limits_.disk_reserve_bytes > 0 && FreeBytes() - bytes < limits_.disk_reserve_bytes) {
    refusal->code = AssetRefusalCode::kDiskReserve;
    refusal->limit = limits_.disk_reserve_bytes;
    return false;
  }
  return true;
}

bool AssetRoom::Wrote(int64_t bytes, AssetRefusal* refusal) {
  used_ += bytes;
  since_check_ += bytes;
  if (limits_.folder_bytes > 0 && used_ > limits_.folder_bytes) {
    refusal->code = AssetRefusalCode::kFolderFull;
    refusal->limit = limits_.folder_bytes;
    return false;
  }
  if (since_check_ < kCheckEveryBytes) return true;
  since_check_ = 0;
  if (limits_.disk_reserve_bytes > 0 && FreeBytes() < limits_.disk_reserve_bytes) {
    refusal->code = AssetRefusalCode::kDiskReserve;
    refusal->limit = limits_.disk_reserve_bytes;
    return false;
  }
  return true;
}

}  // namespace mano::sync

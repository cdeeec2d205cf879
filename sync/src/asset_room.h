// AssetRoom: the disk room prefetch has for assets in one pass, under AssetLimits
// (mano/sync/asset_limits.h). It measures the asset folder once (the sizes of its files)
// and asks the file system for free space (statvfs) before each download and every MiB of
// it. Internal to the engine. Thread safety: single-threaded; lives for one pass.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mano/sync/asset_limits.h"

namespace mano::sync {

class AssetRoom {
 public:
  AssetRoom(std::string folder, const AssetLimits& limits);

  // Whether an asset needing `bytes` more, of a task whose assets declare `task_bytes` in
  // all, may be fetched now; when not, `refusal` gets the code, the bytes and the limit.
  bool Allows(int64_t task_bytes, int64_t bytes, AssetRefusal* refusal) const;
  // Counts `bytes` just written; false when the folder passed its cap or the disk went
  // below the reserve (then `refusal` says which), and the download must stop.
  bool Wrote(int64_t bytes, AssetRefusal* refusal);
  // Counts bytes given back (a partial file removed).
  void Freed(int64_t bytes) { used_ -= bytes; }

 private:
  int64_t FreeBytes() const;  // INT64_MAX when the file system cannot tell

  std::string folder_;
  AssetLimits limits_;
  int64_t used_ = 0;         // bytes in the folder
  int64_t since_check_ = 0;  // written since the last statvfs
};

}  // namespace mano::sync

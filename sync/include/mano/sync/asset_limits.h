// AssetLimits: how much of the worker's disk prefetch may fill with task assets, and
// AssetRefusal: a code (with its numbers) for an asset prefetch left alone because of them.
// A server's claim reply names each asset's size; a hostile or careless one could declare a
// terabyte, or many tasks could together fill the disk until the store can no longer save
// a draft. So prefetch caps the assets of one task and the asset folder as a whole, and
// never takes the disk's free space below a reserve (checked before a download and every
// MiB during it; a download stopped there loses its partial file). The client turns each
// refusal into a translated sentence. Plain values; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace mano::sync {

struct AssetLimits {
  int64_t task_bytes = int64_t{256} << 20;          // all the assets of one task (0: no cap)
  int64_t folder_bytes = int64_t{2} << 30;          // the whole asset folder (0: no cap)
  int64_t disk_reserve_bytes = int64_t{100} << 20;  // free space left on the disk (0: none)
};

enum class AssetRefusalCode {
  kTaskTooLarge,  // the task's assets together declare more than task_bytes
  kFolderFull,    // the asset would take the folder past folder_bytes
  kDiskReserve,   // the disk's free space would fall below disk_reserve_bytes
};

struct AssetRefusal {
  AssetRefusalCode code = AssetRefusalCode::kTaskTooLarge;
  std::string assignment;  // server id of the task
  std::string hash;        // the asset (first 12 hex digits are enough to name it)
  int64_t bytes = 0;       // what it needed: the task's total, or the asset's remaining bytes
  int64_t limit = 0;       // the cap or reserve that refused it
};

}  // namespace mano::sync

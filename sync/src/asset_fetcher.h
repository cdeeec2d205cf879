// AssetFetcher: downloads the assets of the open assignments (GET /v1/assets/<hash>), within
// the prefetch byte room and the disk room (AssetRoom), resuming a cut download from the
// bytes already held and checking the SHA-256 of the whole before an asset counts. File I/O
// goes through AssetFile (RAII, every result checked). Internal to the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asset_room.h"
#include "pass_context.h"

namespace mano::sync {

class AssetFetcher {
 public:
  explicit AssetFetcher(const PassContext& pass) : pass_(pass) {}

  // Every missing asset of the assignments `ids`, while `*room` allows; lowers `*room`.
  // Throws SyncError on link trouble (what arrived stays for the next attempt) and
  // kStorage when the asset file cannot be written.
  void FetchFor(const std::vector<int64_t>& ids, int64_t* room);

 private:
  void Download(const AssetRef& ref, int64_t* room, AssetRoom& disk, int64_t task_bytes,
                const std::string& assignment);
  const PassContext& pass_;
};

}  // namespace mano::sync

#include "asset_fetcher.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include "asset_file.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

void AssetFetcher::FetchFor(const std::vector<int64_t>& ids, int64_t* room) {
  AssetRoom disk(pass_.store.AssetsDir(), pass_.options.assets);
  // A task's payload is read (to find its assets) for one assignment at a time, so 10,000
  // cached rows never sit in memory together.
  for (const int64_t id : ids) {
    const auto assignment = pass_.store.GetAssignment(id);
    if (!assignment) continue;
    const Assignment server = ServerAssignmentOf(*assignment);
    int64_t task_bytes = 0;
    for (const AssetRef& ref : server.assets) {  // saturating: sizes come from the server
      task_bytes += std::min(std::max<int64_t>(0, ref.size), INT64_MAX - task_bytes);
    }
    for (const AssetRef& ref : server.assets) Download(ref, room, disk, task_bytes, server.id);
  }
}

void AssetFetcher::Download(const AssetRef& ref, int64_t* room, AssetRoom& disk,
                            int64_t task_bytes, const std::string& assignment) {
  storage::Store& store = pass_.store;
  AccountReport& report = pass_.report;
  auto asset = store.GetAsset(ref.hash);
  if (!asset) asset = store.RecordAsset(ref.hash, ref.size);
  if (asset->complete()) return;
  const int64_t remaining = ref.size - asset->bytes_present;
  if (remaining > *room) {
    report.budget_limited = true;
    return;
  }
  AssetRefusal refusal;
  refusal.assignment = assignment;
  refusal.hash = ref.hash;
  if (!disk.Allows(task_bytes, remaining, &refusal)) {
    report.asset_refusals.push_back(refusal);
    return;
  }
  if (mkdir(store.AssetsDir().c_str(), 0700) != 0 && errno != EEXIST) {
    throw SyncError(SyncErrorKind::kStorage, "Cannot create the asset folder " +
                                                 store.AssetsDir() + ": " + std::strerror(errno) +
                                                 ".");
  }
  AssetFile file(asset->path);
  const int64_t offset = asset->bytes_present;
  file.Truncate(offset);  // bytes past what the store counts were never confirmed
  int64_t written = 0;
  int64_t reported = 0;
  bool too_long = false;
  bool no_room = false;                     // the folder cap or the disk reserve stopped it
  std::optional<SyncError> write_failed;    // kept: nothing may be thrown through libcurl
  auto sink = [&](std::string_view chunk) {
    if (offset + written + static_cast<int64_t>(chunk.size()) > ref.size) {
      too_long = true;
      return false;
    }
    try {
      file.WriteAt(chunk, offset + written);
    } catch (const SyncError& error) {
      write_failed = error;
      return false;
    }
    written += static_cast<int64_t>(chunk.size());
    if (!disk.Wrote(static_cast<int64_t>(chunk.size()), &refusal)) {
      no_room = true;
      return false;
    }
    if (written - reported >= (64 << 10)) {
      reported = written;
      pass_.progress.Report("assets", report.assets, 0, offset + written, ref.size);
    }
    return true;
  };
  auto keep = [&] {  // what arrived stays, so the next attempt resumes from there
    file.Sync();
    store.SetAssetBytes(ref.hash, offset + written);
    *room -= written;
  };
  bool ranged = false;
  try {
    ranged = pass_.api.GetAsset(ref.hash, offset, sink);
  } catch (const SyncError&) {
    if (!too_long && !no_room) {
      keep();
      if (write_failed) throw *write_failed;
      throw;
    }
  }
  if (write_failed) {
    keep();
    throw *write_failed;
  }
  if (no_room) {
    // The partial file goes: the room is the drafts' (the pass goes on to other work).
    unlink(asset->path.c_str());
    disk.Freed(offset + written);
    store.SetAssetBytes(ref.hash, 0);
    *room -= written;
    report.asset_refusals.push_back(refusal);
    return;
  }
  if (!ranged || too_long) {
    // The server ignored the Range (or sent too much): start again from zero next time.
    file.Truncate(0);
    store.SetAssetBytes(ref.hash, 0);
    *room -= written;
    report.errors.push_back(
        ReportNote::Of(ReportCode::kAssetResumeFailed, {ref.hash.substr(0, 12)}));
    return;
  }
  keep();
  if (offset + written < ref.size) return;  // ended early without an error: next time
  if (file.Sha256Hex() != ref.hash) {
    file.Truncate(0);
    store.SetAssetBytes(ref.hash, 0);
    report.errors.push_back(ReportNote::Of(ReportCode::kAssetDamaged, {ref.hash.substr(0, 12)}));
    return;
  }
  ++report.assets;
}

}  // namespace mano::sync

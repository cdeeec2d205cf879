#include "tus_uploader.h"

#include <algorithm>

#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

std::string TusUploader::Upload(const storage::OutboxItem& item) {
  storage::Store& store = pass_.store;
  SubmitResult result = FromJsonString<SubmitResult>(item.body, kMaxResultJsonBytes);
  const std::string bytes = result.answer.ToJson();
  const int64_t length = static_cast<int64_t>(bytes.size());
  std::string path = item.upload_url;
  int64_t offset = 0;
  if (!path.empty()) {
    try {
      offset = pass_.api.UploadOffset(path);
    } catch (const SyncError& error) {
      if (error.kind() != SyncErrorKind::kHttp || error.http_status() != 404) throw;
      path.clear();  // the server forgot it: start a new upload
    }
  }
  if (path.empty()) {
    path = pass_.api.CreateUpload(length);
    offset = 0;
    store.SetUploadState(item.id, path, 0);
  }
  // Chunks follow the link like batches do: small after a cut, doubling while they go
  // through quickly, so a link that drops every few kB still makes progress.
  while (offset < length) {
    pass_.progress.Report("upload", 0, 1, offset, length);
    const int64_t n =
        std::min(std::clamp<int64_t>(sizer_.bytes(), 4 << 10, 1 << 20), length - offset);
    const int64_t started = store.clock().MonotonicMs();
    int64_t next = 0;
    try {
      next = pass_.api.PatchUpload(path, offset, std::string_view(bytes).substr(offset, n));
    } catch (const SyncError& error) {
      if (error.kind() == SyncErrorKind::kTimeout || error.kind() == SyncErrorKind::kOffline) {
        sizer_.Cut();
      }
      throw;
    }
    sizer_.Delivered(store.clock().MonotonicMs() - started, n);
    if (next <= offset || next > length) {
      throw SyncError(SyncErrorKind::kBadMessage, "The server's upload offset went from " +
                                                      std::to_string(offset) + " to " +
                                                      std::to_string(next) + ".");
    }
    offset = next;
    store.SetUploadState(item.id, path, offset);
  }
  SubmitResult small;
  small.assignment_id = result.assignment_id;
  small.key = result.key;
  small.upload_id = path.substr(path.rfind('/') + 1);
  return ToJsonString(small);
}

}  // namespace mano::sync

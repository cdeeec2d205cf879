// TusUploader: a result too large to go inline (over kUploadThresholdBytes) goes by a
// resumable tus upload (docs/PROTOCOL.md section 11) in chunks sized like batches (small
// after a cut, doubling while they go through); the outbox row remembers the upload and the
// offset the server confirmed, so a cut resumes there. Internal to the engine.
#pragma once

#include <string>

#include "mano/sync/batch_sizer.h"
#include "pass_context.h"

namespace mano::sync {

class TusUploader {
 public:
  TusUploader(const PassContext& pass, BatchSizer& sizer) : pass_(pass), sizer_(sizer) {}

  // Uploads the item's answer (resuming a stored upload) and returns the small result that
  // names it ({"a","k","u"}). Throws SyncError on link trouble, after shrinking the sizer
  // for a cut.
  std::string Upload(const storage::OutboxItem& item);

 private:
  const PassContext& pass_;
  BatchSizer& sizer_;
};

}  // namespace mano::sync

// AccountPass: the steps of one sync pass for one account (see sync_engine.h for the
// order and the rules). Internal to the engine: it throws SyncError on link trouble
// (kOffline, kTimeout, kCaptive, kAuth...) so the engine can back off, and records
// per-item problems (a refused anchor, a receipt with a bad signature) in the report
// without stopping. Everything it learns is written to the Store as it goes, so a pass
// killed at any moment leaves a state the next pass continues from.
// Thread safety: single-threaded; lives for one pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asset_room.h"
#include "dict_cache.h"
#include "mano/storage/store.h"
#include "mano/sync/batch_sizer.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_engine.h"

namespace mano::sync {

class AccountPass {
 public:
  AccountPass(storage::Store& store, const storage::Account& account, ServerApi& api,
              BatchSizer& sizer, const EngineOptions& options, AccountReport& report);

  // Assignments still open whose deadline (server time) passed become kExpired.
  void ExpireOverdue();
  // (a) anchors for assignments with an unanchored checkpoint and a near or passed deadline.
  void SendAnchors();
  // Before (b): the zstd dictionaries of the kinds waiting in the outbox, fetched within
  // `room` prefetch bytes when not held (never throws for a dictionary problem).
  void PrepareDictionaries(int64_t room);
  // (b) the outbox, in batches; large results through tus uploads.
  void UploadOutbox();
  // (c) events after the stored cursor, applied to assignment states.
  void PullEvents();
  // (d) claims up to the wanted queue and downloads assets, within `room` bytes.
  void Prefetch(int64_t room);
  // Claims now (reusing a stored claim key left by a cut or crash). Returns local ids.
  std::vector<int64_t> ClaimNow(int count, const std::vector<std::string>& kinds);

 private:
  void Contact(int64_t server_time_ms);
  // This account's rows in `states`, by id, without titles (the lean listing).
  storage::ListingQuery LeanListing(std::vector<storage::AssignmentState> states) const;
  std::string UploadLarge(const storage::OutboxItem& item);
  SubmitReply SubmitBatch(const std::vector<const storage::OutboxItem*>& batch,
                          const std::string& json);
  void DownloadAsset(const AssetRef& ref, int64_t* room, AssetRoom& disk, int64_t task_bytes,
                     const std::string& assignment);
  void ReportProgress(const char* phase, int64_t done, int64_t total, int64_t bytes = 0,
                      int64_t bytes_total = 0);

  storage::Store& store_;
  const storage::Account& account_;
  ServerApi& api_;
  ReceiptVerifier verifier_;
  BatchSizer& sizer_;
  const EngineOptions& options_;
  AccountReport& report_;
  DictCache dicts_;
  std::string phase_;  // progress: current phase and when it started (steady ms)
  int64_t phase_started_ms_ = 0;
};

}  // namespace mano::sync

// AccountPass: one sync pass for one account, as a short sequence of steps each owned by its
// own class (sync_engine.h has the rules):
//   expire leases (LeaseExpiry) -> ONE exchange: POST /v1/sync with the due anchors
//   (AnchorSender), the first outbox batch (OutboxSender), the events cursor (EventApplier),
//   the held dictionaries (DictCache) and a prefetch claim (Claimer) -> what the exchange
//   left (more batches, more event pages) -> expire again -> assets (AssetFetcher).
// Against a server without /v1/sync (it answers 404) the same steps go one endpoint each,
// as before (anchors, dictionaries, batches, events, claim).
// Internal to the engine: it throws SyncError on link trouble (kOffline, kTimeout, kCaptive,
// kAuth...) so the engine can back off, and records per-item problems (a refused anchor, a
// receipt with a bad signature) in the report without stopping. Everything it learns is
// written to the Store as it goes, so a pass killed at any moment leaves a state the next
// pass continues from. Thread safety: single-threaded; lives for one pass.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "anchor_sender.h"
#include "asset_fetcher.h"
#include "claimer.h"
#include "dict_cache.h"
#include "event_applier.h"
#include "lease_expiry.h"
#include "mano/storage/store.h"
#include "mano/sync/batch_sizer.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_engine.h"
#include "outbox_sender.h"
#include "pass_context.h"
#include "pass_progress.h"

namespace mano::sync {

class AccountPass {
 public:
  AccountPass(storage::Store& store, const storage::Account& account, ServerApi& api,
              BatchSizer& sizer, const EngineOptions& options, AccountReport& report);

  // The whole pass. `one_trip`: whether to try POST /v1/sync (set to false when the server
  // answers that it lacks it, for the engine to remember). `room`: the prefetch bytes the
  // data budget still allows, asked afresh before each prefetch step.
  void Run(bool* one_trip, const std::function<int64_t()>& room);
  // Claims now (reusing a stored claim key left by a cut or crash). Returns local ids.
  std::vector<int64_t> ClaimNow(int count, const std::vector<std::string>& kinds);

 private:
  // POST /v1/sync; false when the server lacks it (nothing was done).
  bool Exchange(int64_t room);
  // The same steps, one endpoint each.
  void OneEndpointEach(int64_t room);

  PassProgress progress_;
  PassContext pass_;
  DictCache dicts_;
  LeaseExpiry expiry_;
  AnchorSender anchors_;
  OutboxSender outbox_;
  EventApplier events_;
  Claimer claims_;
  AssetFetcher assets_;
  bool outbox_stopped_ = false;  // a batch's receipts failed: send no more this pass
  bool events_done_ = false;
  bool claimed_ = false;
};

}  // namespace mano::sync

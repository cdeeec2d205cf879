// OutboxSender: the outbox, in batches sized by the account's BatchSizer. Next() gathers a
// batch (large results first go by TusUploader) and marks it sending in one transaction; the
// batch then goes by POST /v1/submit (SendRest) or inside a sync request (AccountPass), and
// Delivered()/Failed() close it: receipts through ReceiptApplier, the sizer told how it
// went, and items the server never saw put back to pending (they can be taken back again).
// The zstd dictionary of the batch's most represented kind is offered when the batch is
// small enough for one to matter. Internal to the engine.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "dict_cache.h"
#include "mano/sync/batch_sizer.h"
#include "mano/sync/sync_error.h"
#include "outbox_batch.h"
#include "pass_context.h"
#include "receipt_applier.h"
#include "tus_uploader.h"

namespace mano::sync {

class OutboxSender {
 public:
  OutboxSender(const PassContext& pass, BatchSizer& sizer, DictCache& dicts);

  // The kinds of the results waiting to go inline (for the dictionary check).
  std::set<std::string> WaitingKinds();
  // The next batch, marked sending; empty when nothing is waiting. Throws SyncError when a
  // large result's upload fails (the batch gathered so far is then put back).
  OutboxBatch Next();
  // The dictionary to offer for `batch`, or null.
  const ZstdDictionary* DictionaryFor(const OutboxBatch& batch) const;
  // The batch was answered after `elapsed_ms`: receipts applied. False when some receipt
  // did not pass (the pass should stop sending: those items would come straight back).
  bool Delivered(const OutboxBatch& batch, const SubmitReply& reply, int64_t elapsed_ms,
                 const SubmitStats& stats);
  // The request carrying `batch` failed with `error` (the sizer shrinks after a cut; when
  // the server was not reached, items no earlier attempt may have delivered go back).
  void Failed(const OutboxBatch& batch, const SyncError& error);
  // The server never saw the batch (it lacks the endpoint tried): everything back.
  void Unsent(const OutboxBatch& batch);
  // Batches by POST /v1/submit until the outbox is empty or a batch fails its receipts.
  void SendRest();
  // The dictionary went with a batch and the server did not know it: forget it.
  void DictionaryRefused(const OutboxBatch& batch) { dicts_.Drop(batch.kind); }

 private:
  SubmitReply Submit(const OutboxBatch& batch, SubmitStats* stats);
  // A large item whose answer is over kMaxUploadBytes: returned to its draft (reported)
  // instead of sent; true when the item is not to be sent.
  bool RefusedForSize(const storage::OutboxItem& item);

  const PassContext& pass_;
  BatchSizer& sizer_;
  DictCache& dicts_;
  TusUploader uploads_;
  ReceiptApplier receipts_;
  int64_t total_ = -1;  // items waiting when the pass began (progress)
  int64_t done_ = 0;
};

}  // namespace mano::sync

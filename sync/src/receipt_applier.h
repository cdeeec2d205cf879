// ReceiptApplier: a batch's receipts checked and stored. A batch signature covers every
// receipt (when it fails, none counts); otherwise each receipt's own signature is checked.
// Each receipt must name the key sent at its place, and a positive one the hash of the
// answer sent. What passes is stored in one transaction (with the signed batch bytes) and
// moves its assignment to the receipt's state; what fails stays in the outbox, noted in the
// report. Internal to the engine.
#pragma once

#include "mano/sync/receipt_signer.h"
#include "outbox_batch.h"
#include "pass_context.h"

namespace mano::sync {

class ReceiptApplier {
 public:
  explicit ReceiptApplier(const PassContext& pass);

  // Returns true when every receipt of `reply` was good and stored; throws
  // SyncError{kBadMessage} when a receipt names another key than the one sent.
  bool Apply(const OutboxBatch& batch, const SubmitReply& reply);

 private:
  const PassContext& pass_;
  ReceiptVerifier verifier_;
};

}  // namespace mano::sync

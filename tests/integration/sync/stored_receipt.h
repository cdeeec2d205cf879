// Test helper: whether a receipt the client stored is provably the server's — signed by the
// pinned key on its own, or (batch receipts) held exactly by a stored batch whose signature
// verifies.
#pragma once

#include "mano/storage/store.h"
#include "mano/sync/messages.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"

namespace mano::test {

inline bool StoredReceiptVerifies(storage::Store& store, const storage::Receipt& stored,
                                  const sync::ReceiptVerifier& verifier) {
  const sync::Receipt receipt = sync::Receipt::FromJson(stored.raw);
  if (stored.batch_id == 0) return verifier.Verify(receipt);
  const auto batch = store.GetReceiptBatch(stored.batch_id);
  if (!batch || !verifier.VerifyBatch(batch->canonical, batch->signature)) return false;
  const auto receipts = sync::ParseBatchBytes(batch->canonical);
  return receipts && sync::FindInBatch(*receipts, receipt).has_value();
}

}  // namespace mano::test

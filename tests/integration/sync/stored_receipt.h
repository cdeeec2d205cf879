// Test helper: whether a receipt the client stored is provably the server's — signed by the
// pinned key on its own (empty `batch_sig`), or (batch receipts) held exactly by the stored
// batch (its canonical bytes) whose signature verifies.
#pragma once

#include <string>

#include "mano/sync/messages.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"

namespace mano::test {

inline bool ReceiptVerifies(const sync::Receipt& receipt, const std::string& batch,
                            const std::string& batch_sig, const sync::ReceiptVerifier& verifier) {
  if (batch_sig.empty()) return verifier.Verify(receipt);
  if (!verifier.VerifyBatch(batch, batch_sig)) return false;
  const auto receipts = sync::ParseBatchBytes(batch);
  return receipts && sync::FindInBatch(*receipts, receipt).has_value();
}

}  // namespace mano::test

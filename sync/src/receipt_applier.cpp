#include "receipt_applier.h"

#include "mano/sync/assignment_outcome.h"
#include "mano/sync/jcs.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

ReceiptApplier::ReceiptApplier(const PassContext& pass)
    : pass_(pass), verifier_(ReceiptVerifier::FromBase64(pass.account.receipt_key)) {}

bool ReceiptApplier::Apply(const OutboxBatch& batch, const SubmitReply& reply) {
  AccountReport& report = pass_.report;
  const size_t n = batch.items.size();
  report.results_sent += static_cast<int>(n);
  storage::ReceiptBatch signed_batch;
  if (!reply.sig.empty()) {
    signed_batch.canonical = CanonicalBatchBytes(reply.receipts);
    signed_batch.signature = reply.sig;
    if (!verifier_.VerifyBatch(signed_batch.canonical, reply.sig)) {
      report.bad_signatures += static_cast<int>(n);
      report.errors.push_back(ReportNote::Of(ReportCode::kBatchBadSignature, {std::to_string(n)}));
      return false;
    }
  }
  std::vector<storage::Receipt> good;
  for (size_t i = 0; i < n; ++i) {
    const Receipt& receipt = reply.receipts[i];
    const storage::OutboxItem& item = batch.items[i];
    const ReceiptDefaults& sent = batch.sent[i];
    if (receipt.key != item.idempotency_key) {
      throw SyncError(SyncErrorKind::kBadMessage,
                      "Receipt " + std::to_string(i) + " names key " + receipt.key + " where " +
                          item.idempotency_key + " was sent.",
                      "receipts[" + std::to_string(i) + "].k");
    }
    if (reply.sig.empty() && !verifier_.Verify(receipt)) {
      ++report.bad_signatures;
      report.errors.push_back(
          ReportNote::Of(ReportCode::kReceiptBadSignature, {item.idempotency_key}));
      continue;
    }
    const bool positive = receipt.status == ReceiptStatus::kAccepted ||
                          receipt.status == ReceiptStatus::kDuplicate ||
                          receipt.status == ReceiptStatus::kLateAccepted;
    const std::string& hash =
        receipt.canonical_version == kCanonLegacy && !sent.answer_hash_legacy.empty()
            ? sent.answer_hash_legacy
            : sent.answer_hash;
    if (positive && receipt.answer_hash != hash) {
      report.errors.push_back(
          ReportNote::Of(ReportCode::kReceiptOtherContent, {item.idempotency_key}));
      continue;
    }
    if (positive) {
      ++report.results_acked;
    } else {
      ++report.results_refused;
      report.errors.push_back(
          ReportNote::Of(ReportCode::kResultRefused,
                         {item.idempotency_key, ReceiptStatusName(receipt.status), receipt.error}));
    }
    good.push_back(storage::Receipt{receipt.key, ReceiptStatusName(receipt.status),
                                    receipt.server_time,
                                    receipt.sig, receipt.ToJson(), 0, 0,
                                    StateAfterReceipt(receipt.status), receipt.error});
  }
  if (reply.sig.empty()) {
    pass_.store.ApplyReceipts(pass_.account.name, good);
  } else {
    pass_.store.ApplyReceipts(pass_.account.name, good, signed_batch);
  }
  return good.size() == n;
}

}  // namespace mano::sync

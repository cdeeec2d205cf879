// Batch receipts (docs/PROTOCOL.md section 8, "Batch receipts"): one Ed25519 signature over
// every receipt of a submit reply instead of one per receipt.
//
// Canonical batch bytes: the UTF-8 text "mano-receipts-v1\n" followed by
// CanonicalReceiptBytes(r) (receipt_signer.h) of each receipt, in the reply's order; "h" is
// always in them, also when the reply left it out. The header line differs from a single
// receipt's ("mano-receipt-v1"), so neither signature can pass for the other. Ids cannot hold
// a newline, so the text has exactly one reading: ParseBatchBytes gives it back.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/messages.h"

namespace mano::sync {

inline constexpr std::string_view kBatchBytesHeader = "mano-receipts-v1\n";

std::string CanonicalBatchBytes(const std::vector<Receipt>& receipts);

// The receipts of canonical batch bytes, in order (sig and e empty); nullopt unless `bytes`
// is exactly CanonicalBatchBytes of at least one receipt.
std::optional<std::vector<Receipt>> ParseBatchBytes(std::string_view bytes);

// The position in `batch` of a receipt with the same k, a, s, c, t and h as `receipt`.
std::optional<std::size_t> FindInBatch(const std::vector<Receipt>& batch, const Receipt& receipt);

}  // namespace mano::sync

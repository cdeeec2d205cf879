// Pieces shared by the evidence writer and its checker (not public API).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "mano/storage/records.h"
#include "mano/sync/json_util.h"

namespace mano::client::ledger::internal {

inline constexpr const char* kEvidenceFormat = "mano-evidence-v1";

// Where the file's receipt sits in its signed batch ("receipt_batch": the batch's canonical
// bytes and signature): position from 0 and the batch's size. nullopt when the file has no
// batch, the bytes are not canonical batch bytes, or no receipt in them matches.
struct BatchPlace {
  std::size_t index = 0;
  std::size_t count = 0;
};
std::optional<BatchPlace> PlaceInBatch(const sync::JsonIn& root);

// Which words SummaryOf uses: kRecord, English, is the "summary" stored in the file (what a
// requester or platform reads; its bytes never depend on the reader's locale); kWorker is
// the same text in the worker's language, printed by `mano evidence` and never stored.
enum class SummaryWords { kRecord, kWorker };

// The plain-text summary of an evidence document (everything but its "summary" member).
// Deterministic: the checker recomputes it (kRecord) and compares.
std::string SummaryOf(const sync::JsonIn& root, SummaryWords words = SummaryWords::kRecord);

}  // namespace mano::client::ledger::internal

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

// The plain-text summary of an evidence document (everything but its "summary" member).
// Deterministic: the checker recomputes it and compares.
std::string SummaryOf(const sync::JsonIn& root);

}  // namespace mano::client::ledger::internal

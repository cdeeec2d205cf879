// Pieces shared by the evidence writer and its checker (not public API).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "mano/storage/records.h"
#include "mano/sync/json_util.h"

namespace mano::client::ledger::internal {

inline constexpr const char* kEvidenceFormat = "mano-evidence-v1";
// The file's "version" (absent = 1): how its summary words the data. 1 rounded amounts to
// the currency's minor unit; 2 prints them exactly. The checker renders each version as it
// was written, so a file keeps verifying after mano changes.
inline constexpr int64_t kEvidenceVersion = 2;
// The version of `root` (1 when absent).
int64_t EvidenceVersion(const sync::JsonIn& root);

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

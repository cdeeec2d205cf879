// Pieces shared by the evidence writer and its checker (not public API).
#pragma once

#include <string>

#include "mano/storage/records.h"
#include "mano/sync/json_util.h"

namespace mano::client::ledger::internal {

inline constexpr const char* kEvidenceFormat = "mano-evidence-v1";

// The work journal's entry hash, exactly as storage/src/journal.cpp computes it:
// sha256hex(prev_hash || "<len>:<bytes>;" for seq, time_ms, account, assignment_id (empty
// when none), type, payload). Kept here so an evidence file is checked without a store.
std::string JournalEntryHash(const storage::JournalEntry& entry);

// The plain-text summary of an evidence document (everything but its "summary" member).
// Deterministic: the checker recomputes it and compares.
std::string SummaryOf(const sync::JsonIn& root);

}  // namespace mano::client::ledger::internal

// Evidence: one self-contained JSON file a worker can keep and show to contest a rejection,
// and its offline check.
//
// The file ("format": "mano-evidence-v1", "version": 2; a file without a version is version
// 1, whose summary rounded amounts to the minor unit and is checked as such) holds: the
// account and the server's receipt key pinned at login; the assignment (with the task as the
// server sent it); the answer as submitted and its sha256; the server's signed receipt (when the
// server signed all receipts of one reply together, "receipt_batch" holds that batch's exact signed
// bytes and its signature, and the receipt is one of the batch's receipts); the anchors sent; the
// events the server sent about it and the rejection reason; the assignment's journal entries with
// the hash chain that links them (entries of other assignments in between appear as links: seq,
// prev_hash, hash); and "summary", a plain-text account a person can read (English, so it can be
// shown to a requester; derived from the data, so it is checked too).
//
// What verification proves: the receipt is signed by the pinned key (by itself, or as a
// receipt of a signed batch that holds its exact k, a, s, c, t and h), so its status, time and
// answer hash are the server's; the answer in the file hashes to what the server signed; the
// journal entries are unchanged and in order; the reason and the summary agree with the
// journal. A journal can be recomputed by whoever holds the machine, so the chain shows
// accidental or careless change, while the receipt signature is what a third party can trust.
// Thread safety: pure functions over a Store the caller does not share meanwhile.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mano/storage/store.h"

namespace mano::client::ledger {

struct Evidence {
  std::string json;     // the evidence file, pretty-printed, ending with '\n'
  std::string summary;  // the same "summary" text, for a .txt beside it
  // The summary in the worker's language (Tr): shown by `mano evidence`, never stored (the
  // stored summary is English whoever writes the file, so it verifies everywhere).
  std::string worker_summary;
};

// Throws StoreError(kNotFound) when there is no such assignment.
Evidence BuildEvidence(storage::Store& store, int64_t assignment_id);

struct EvidenceCheck {
  bool ok = false;
  std::string problem;              // one sentence when !ok
  std::vector<std::string> passed;  // one sentence per check that passed
};

// Checks an evidence file offline. `expected_key_b64` (optional) is a receipt key obtained
// independently (e.g. `mano accounts` or the server's well-known URL); when given, the key
// in the file must be that one. Never throws: a malformed file is a failed check.
EvidenceCheck VerifyEvidence(std::string_view json, const std::string& expected_key_b64 = {});

}  // namespace mano::client::ledger

// BuildResult / QueueResult: turn a worker's answer into an outbox item. Shared by the
// engine and by `mano submit` (which works offline: nothing here touches the network).
//
// The answer is validated against the assignment's form (validate.h); any problem throws
// SyncError{kBadMessage} naming the first bad field. The idempotency key is derived from
// the assignment ("<server id>:1"), so a retry after a crash or a cut is recognised by the
// server and a second submit of the same assignment maps to the same outbox row.
// The outbox body is one SubmitResult object ({"a","k","v"}), ready to go in a batch.
// Thread safety: functions are thread-safe; the Store passed in is not shared.
#pragma once

#include <cstdint>
#include <string>

#include "mano/storage/store.h"
#include "mano/sync/answer.h"
#include "mano/sync/messages.h"

namespace mano::sync {

struct BuiltResult {
  std::string key;   // idempotency key
  std::string body;  // SubmitResult JSON
  std::string hash;  // Answer::Hash(): what the receipt's "h" must match
};

// The server assignment stored in Assignment::payload (the engine keeps the whole
// Assignment JSON there). Throws SyncError{kBadMessage} when the payload is unreadable.
Assignment ServerAssignmentOf(const storage::Assignment& assignment);

std::string IdempotencyKeyFor(const std::string& server_id);

BuiltResult BuildResult(const storage::Assignment& assignment, const Answer& answer);

// Validates, builds and enqueues (Store::EnqueueResult moves the assignment to kQueued).
// Taken for a claimed, in-progress, expired (its work goes up late) or queued assignment;
// refused (SyncError{kConfig}) in every other state (returned, revoked, withdrawn, any
// receipt's state, approved, rejected).
// Returns the outbox id.
int64_t QueueResult(storage::Store& store, int64_t assignment_id, const Answer& answer);

}  // namespace mano::sync

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
#include <optional>
#include <string>
#include <string_view>

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

// Throws SyncError{kBadMessage} for an answer the form refuses, SyncError{kTooLarge} for one
// over the largest a result may carry (OversizeAnswer).
BuiltResult BuildResult(const storage::Assignment& assignment, const Answer& answer);

// An answer's JSON may be at most kMaxUploadBytes (the largest upload, docs/PROTOCOL.md
// section 11): no server takes more. The answer's size in bytes when it is over, else nullopt.
std::optional<size_t> OversizeAnswer(const Answer& answer);
// The same for a queued result's body (SubmitResult JSON), parsed only when its size alone
// cannot tell.
std::optional<size_t> OversizeResult(std::string_view body);
// The state_reason mano gives an assignment whose queued answer went back to the draft for
// being too large (Store::ReturnToDraft): "mano:answer_too_large <bytes> <limit>", a code
// the client words (ReadAnswerTooLargeReason), never shown as it is.
std::string AnswerTooLargeReason(size_t bytes);
struct TooLargeAnswer {
  size_t bytes = 0;
  size_t limit = 0;
};
// nullopt for any other reason (a server's or requester's words).
std::optional<TooLargeAnswer> ReadAnswerTooLargeReason(std::string_view reason);

// Validates, builds and enqueues (Store::EnqueueResult moves the assignment to kQueued).
// Taken for a claimed, in-progress, expired (its work goes up late) or queued assignment;
// refused (SyncError{kConfig}) in every other state (returned, revoked, withdrawn, any
// receipt's state, approved, rejected).
// Returns the outbox id.
int64_t QueueResult(storage::Store& store, int64_t assignment_id, const Answer& answer);

// Takes the assignment's result back out of the outbox when none of it has gone out yet
// (Store::TakeBackResult: compare-and-set against a sync sending it). The draft is then the
// answer that was queued: a new checkpoint is saved when the latest one differs from it.
// StoreError propagates.
storage::TakeBack TakeBackResult(storage::Store& store, int64_t assignment_id);

// What to tell the worker before a result goes: whether the deadline has passed (in server
// time) and what the task's late policy will do with it then.
struct LateOutlook {
  bool late = false;  // past the deadline; false when the server's time is unknown
  int64_t deadline_server_ms = 0;
  LatePolicy policy = LatePolicy::kRefuse;
  // An anchor was recorded at or before the deadline (what kAcceptIfAnchored asks for).
  bool anchored = false;
  int64_t anchor_server_ms = 0;  // the first anchor, when anchored
  // What the server will do with the late result (the rule of tools/manod's submit).
  bool Accepted() const {
    return policy == LatePolicy::kAccept || (policy == LatePolicy::kAcceptIfAnchored && anchored);
  }
};
// Throws SyncError{kBadMessage} when the stored task cannot be read.
LateOutlook LateOutlookFor(storage::Store& store, const storage::Assignment& assignment);

}  // namespace mano::sync

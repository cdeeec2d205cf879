// What the server's answers make of a local assignment: the state a receipt leaves it in
// and the state an event moves it to. One table, used by the sync pass and its tests, so
// the queue, `mano list` and the ledger all read the same truth from the store.
// Pure functions; thread-safe.
#pragma once

#include <optional>

#include "mano/storage/records.h"
#include "mano/sync/messages.h"

namespace mano::sync {

// accepted and duplicate -> kAccepted; every other status -> the state of the same name
// (late_accepted, conflict, late_refused, not_found, invalid).
storage::AssignmentState StateAfterReceipt(ReceiptStatus status);

// True for the states a receipt leaves when the server kept the answer (it waits for review).
bool IsAcceptedState(storage::AssignmentState state);

// The state `event` moves an assignment in `current` to, or nullopt when it changes nothing:
// approved -> kApproved, rejected -> kRejected (whatever the state); revoked -> kRevoked for
// a lease still open, expired or queued (the server will answer not_found to its result) or
// already answered not_found; withdrawn -> kWithdrawn for the same states; payment and bonus
// change nothing.
std::optional<storage::AssignmentState> StateAfterEvent(EventType event,
                                                        storage::AssignmentState current);

}  // namespace mano::sync

#include "mano/sync/assignment_outcome.h"

#include <utility>

namespace mano::sync {

using storage::AssignmentState;

namespace {

// The state each receipt status leaves the assignment in (a duplicate is the first
// acceptance replayed).
constexpr std::pair<ReceiptStatus, AssignmentState> kStateAfterReceipt[] = {
    {ReceiptStatus::kAccepted, AssignmentState::kAccepted},
    {ReceiptStatus::kDuplicate, AssignmentState::kAccepted},
    {ReceiptStatus::kLateAccepted, AssignmentState::kLateAccepted},
    {ReceiptStatus::kConflict, AssignmentState::kConflict},
    {ReceiptStatus::kLateRefused, AssignmentState::kLateRefused},
    {ReceiptStatus::kNotFound, AssignmentState::kNotFound},
    {ReceiptStatus::kInvalid, AssignmentState::kInvalid},
};

}  // namespace

AssignmentState StateAfterReceipt(ReceiptStatus status) {
  for (const auto& [receipt, state] : kStateAfterReceipt) {
    if (receipt == status) return state;
  }
  return AssignmentState::kInvalid;
}

bool IsAcceptedState(AssignmentState state) {
  return state == AssignmentState::kAccepted || state == AssignmentState::kLateAccepted;
}

std::optional<AssignmentState> StateAfterEvent(EventType event, AssignmentState current) {
  // A lease the server can still take back: open, past its deadline, or its result not yet
  // judged; and a result the server answered not_found, which the event explains (the
  // upload comes before the events in a pass).
  const bool lease_held =
      current == AssignmentState::kClaimed || current == AssignmentState::kInProgress ||
      current == AssignmentState::kExpired || current == AssignmentState::kQueued ||
      current == AssignmentState::kNotFound;
  switch (event) {
    case EventType::kApproved:
      return AssignmentState::kApproved;
    case EventType::kRejected:
      return AssignmentState::kRejected;
    case EventType::kRevoked:
      if (lease_held) return AssignmentState::kRevoked;
      return std::nullopt;
    case EventType::kWithdrawn:
      if (lease_held) return AssignmentState::kWithdrawn;
      return std::nullopt;
    case EventType::kPayment:
    case EventType::kBonus:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace mano::sync

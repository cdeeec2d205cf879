#include "mano/sync/assignment_outcome.h"

namespace mano::sync {

using storage::AssignmentState;

AssignmentState StateAfterReceipt(ReceiptStatus status) {
  switch (status) {
    case ReceiptStatus::kAccepted:
    case ReceiptStatus::kDuplicate:
      return AssignmentState::kAccepted;
    case ReceiptStatus::kLateAccepted:
      return AssignmentState::kLateAccepted;
    case ReceiptStatus::kConflict:
      return AssignmentState::kConflict;
    case ReceiptStatus::kLateRefused:
      return AssignmentState::kLateRefused;
    case ReceiptStatus::kNotFound:
      return AssignmentState::kNotFound;
    case ReceiptStatus::kInvalid:
      return AssignmentState::kInvalid;
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

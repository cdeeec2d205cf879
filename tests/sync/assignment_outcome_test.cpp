// What receipts and events make of an assignment: every receipt status has its own state
// (a refusal is never shown as received), and a revoked or withdrawn lease says so.
#include "mano/sync/assignment_outcome.h"

#include <catch2/catch.hpp>

using mano::storage::AssignmentState;
using mano::sync::EventType;
using mano::sync::ReceiptStatus;
using mano::sync::StateAfterEvent;
using mano::sync::StateAfterReceipt;

TEST_CASE("each receipt status maps to its own state; duplicate is accepted", "[unit]") {
  CHECK(StateAfterReceipt(ReceiptStatus::kAccepted) == AssignmentState::kAccepted);
  CHECK(StateAfterReceipt(ReceiptStatus::kDuplicate) == AssignmentState::kAccepted);
  CHECK(StateAfterReceipt(ReceiptStatus::kLateAccepted) == AssignmentState::kLateAccepted);
  CHECK(StateAfterReceipt(ReceiptStatus::kConflict) == AssignmentState::kConflict);
  CHECK(StateAfterReceipt(ReceiptStatus::kLateRefused) == AssignmentState::kLateRefused);
  CHECK(StateAfterReceipt(ReceiptStatus::kNotFound) == AssignmentState::kNotFound);
  CHECK(StateAfterReceipt(ReceiptStatus::kInvalid) == AssignmentState::kInvalid);
  // The stored names are the receipt's own (duplicate aside).
  for (auto status :
       {ReceiptStatus::kLateAccepted, ReceiptStatus::kConflict, ReceiptStatus::kLateRefused,
        ReceiptStatus::kNotFound, ReceiptStatus::kInvalid, ReceiptStatus::kAccepted}) {
    CHECK(mano::storage::ToString(StateAfterReceipt(status)) ==
          mano::sync::ReceiptStatusName(status));
  }
  CHECK(mano::sync::IsAcceptedState(AssignmentState::kLateAccepted));
  CHECK_FALSE(mano::sync::IsAcceptedState(AssignmentState::kLateRefused));
}

TEST_CASE("revoked and withdrawn leases say so; they never read as expired or returned", "[unit]") {
  for (auto held :
       {AssignmentState::kClaimed, AssignmentState::kInProgress, AssignmentState::kExpired,
        AssignmentState::kQueued, AssignmentState::kNotFound}) {
    INFO(mano::storage::ToString(held));
    CHECK(StateAfterEvent(EventType::kRevoked, held) == AssignmentState::kRevoked);
    CHECK(StateAfterEvent(EventType::kWithdrawn, held) == AssignmentState::kWithdrawn);
  }
  // Work already judged or handed back stays as it is.
  for (auto done :
       {AssignmentState::kAccepted, AssignmentState::kLateAccepted, AssignmentState::kReturned,
        AssignmentState::kApproved, AssignmentState::kRejected, AssignmentState::kLateRefused}) {
    INFO(mano::storage::ToString(done));
    CHECK_FALSE(StateAfterEvent(EventType::kRevoked, done));
    CHECK_FALSE(StateAfterEvent(EventType::kWithdrawn, done));
  }
  CHECK(StateAfterEvent(EventType::kApproved, AssignmentState::kAccepted) ==
        AssignmentState::kApproved);
  CHECK(StateAfterEvent(EventType::kRejected, AssignmentState::kLateAccepted) ==
        AssignmentState::kRejected);
  CHECK_FALSE(StateAfterEvent(EventType::kPayment, AssignmentState::kAccepted));
  CHECK_FALSE(StateAfterEvent(EventType::kBonus, AssignmentState::kApproved));
}

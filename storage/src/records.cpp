// String names of the enums in records.h and store_error.h (stored in the database as
// text, so these names are part of the file format: never rename one).
#include "mano/storage/records.h"

#include <iterator>
#include <stdexcept>

#include "mano/storage/enum_names.h"
#include "mano/storage/store_error.h"

namespace mano::storage {
namespace {

constexpr EnumName<AssignmentState> kStateNames[] = {
    {AssignmentState::kClaimed, "claimed"},
    {AssignmentState::kInProgress, "in_progress"},
    {AssignmentState::kQueued, "queued"},
    {AssignmentState::kAccepted, "accepted"},
    {AssignmentState::kLateAccepted, "late_accepted"},
    {AssignmentState::kConflict, "conflict"},
    {AssignmentState::kLateRefused, "late_refused"},
    {AssignmentState::kNotFound, "not_found"},
    {AssignmentState::kInvalid, "invalid"},
    {AssignmentState::kReturned, "returned"},
    {AssignmentState::kExpired, "expired"},
    {AssignmentState::kRevoked, "revoked"},
    {AssignmentState::kWithdrawn, "withdrawn"},
    {AssignmentState::kRejected, "rejected"},
    {AssignmentState::kApproved, "approved"},
};
static_assert(NamesEvery(kStateNames, kLastAssignmentState));

constexpr EnumName<OutboxState> kOutboxStateNames[] = {
    {OutboxState::kPending, "pending"},
    {OutboxState::kSending, "sending"},
    {OutboxState::kAcknowledged, "acknowledged"}};
static_assert(NamesEvery(kOutboxStateNames, kLastOutboxState));

constexpr EnumName<StoreError::Kind> kErrorKindNames[] = {
    {StoreError::Kind::kIo, "io"},
    {StoreError::Kind::kFull, "full"},
    {StoreError::Kind::kReadOnly, "read-only"},
    {StoreError::Kind::kCorrupt, "corrupt"},
    {StoreError::Kind::kNewerSchema, "newer-schema"},
    {StoreError::Kind::kNotFound, "not-found"},
    {StoreError::Kind::kConstraint, "constraint"},
    {StoreError::Kind::kBusy, "busy"},
    {StoreError::Kind::kInvalidArgument, "invalid-argument"},
};
static_assert(NamesEvery(kErrorKindNames, StoreError::kLastKind));

}  // namespace

std::string_view ToString(AssignmentState state) {
  const char* name = NameOf(kStateNames, state, nullptr);
  if (!name) throw std::out_of_range("not an assignment state");
  return name;
}

AssignmentState AssignmentStateFromString(std::string_view name) {
  if (auto state = ValueOf(kStateNames, name)) return *state;
  throw StoreError(StoreError::Kind::kInvalidArgument,
                   "unknown assignment state '" + std::string(name) + "'");
}

std::string_view ToString(OutboxState state) { return NameOf(kOutboxStateNames, state, "pending"); }

OutboxState OutboxStateFromString(std::string_view name) {
  return ValueOf(kOutboxStateNames, name).value_or(OutboxState::kPending);
}

std::string_view ToString(StoreError::Kind kind) { return NameOf(kErrorKindNames, kind, "io"); }

}  // namespace mano::storage

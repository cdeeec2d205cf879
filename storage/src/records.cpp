// String names of the enums in records.h and store_error.h (stored in the database as
// text, so these names are part of the file format: never rename one).
#include "mano/storage/records.h"

#include <array>

#include "mano/storage/store_error.h"

namespace mano::storage {
namespace {

constexpr std::array<std::string_view, 15> kStateNames = {
    "claimed",  "in_progress",  "queued",    "accepted", "late_accepted",
    "conflict", "late_refused", "not_found", "invalid",  "returned",
    "expired",  "revoked",      "withdrawn", "rejected", "approved"};
static_assert(kStateNames.size() == static_cast<size_t>(kLastAssignmentState) + 1);

}  // namespace

std::string_view ToString(AssignmentState state) {
  return kStateNames.at(static_cast<size_t>(state));
}

AssignmentState AssignmentStateFromString(std::string_view name) {
  for (size_t i = 0; i < kStateNames.size(); ++i)
    if (kStateNames[i] == name) return static_cast<AssignmentState>(i);
  throw StoreError(StoreError::Kind::kInvalidArgument,
                   "unknown assignment state '" + std::string(name) + "'");
}

std::string_view ToString(OutboxState state) {
  switch (state) {
    case OutboxState::kPending:
      return "pending";
    case OutboxState::kSending:
      return "sending";
    case OutboxState::kAcknowledged:
      return "acknowledged";
  }
  return "pending";
}

std::string_view ToString(StoreError::Kind kind) {
  switch (kind) {
    case StoreError::Kind::kIo:
      return "io";
    case StoreError::Kind::kFull:
      return "full";
    case StoreError::Kind::kReadOnly:
      return "read-only";
    case StoreError::Kind::kCorrupt:
      return "corrupt";
    case StoreError::Kind::kNewerSchema:
      return "newer-schema";
    case StoreError::Kind::kNotFound:
      return "not-found";
    case StoreError::Kind::kConstraint:
      return "constraint";
    case StoreError::Kind::kBusy:
      return "busy";
    case StoreError::Kind::kInvalidArgument:
      return "invalid-argument";
  }
  return "io";
}

}  // namespace mano::storage

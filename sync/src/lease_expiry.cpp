#include "lease_expiry.h"

#include <vector>

namespace mano::sync {

using storage::AssignmentState;

void LeaseExpiry::ExpireOverdue() {
  storage::Store& store = pass_.store;
  const auto now = store.ServerNow(pass_.account.name);
  if (!now) return;
  // The lean listing: ids and deadlines of the open rows, no payload (the Store may not be
  // used while it reads, so the overdue ids are collected first).
  std::vector<int64_t> overdue;
  store.ForEachAssignmentSummary(
      pass_.LeanListing({AssignmentState::kClaimed, AssignmentState::kInProgress}),
      [&](const storage::AssignmentSummary& assignment) {
        if (assignment.deadline_server_ms > 0 && assignment.deadline_server_ms < *now) {
          overdue.push_back(assignment.id);
        }
      });
  for (const int64_t id : overdue) {
    store.SetState(id, AssignmentState::kExpired, "deadline passed (server time); work kept");
    ++pass_.report.expired;
  }
}

}  // namespace mano::sync

#include "event_applier.h"

#include <vector>

#include "mano/sync/assignment_outcome.h"

namespace mano::sync {

std::string EventApplier::Cursor() const {
  return pass_.store.GetCursor(pass_.account.name, storage::Store::kEventsCursor).value_or("");
}

void EventApplier::Apply(const EventsReply& page) {
  storage::Store& store = pass_.store;
  pass_.Contact(page.server_time);
  std::vector<storage::Event> events;
  for (const Event& event : page.events) {
    events.push_back(storage::Event{event.seq, EventTypeName(event.type), event.assignment_id,
                                    ToJsonString(event), event.server_time});
  }
  pass_.report.events += store.ApplyEvents(pass_.account.name, events, page.cursor);
  for (const Event& event : page.events) {
    if (event.assignment_id.empty()) continue;
    const auto assignment = store.FindAssignment(pass_.account.name, event.assignment_id);
    if (!assignment) continue;
    const auto to = StateAfterEvent(event.type, assignment->state);
    if (!to) continue;
    // The journal says who decided (a rejection's reason, as before); the reason shown on
    // the task is the server's, as given.
    std::string why = "approved by the requester";
    if (event.type == EventType::kRejected) why = event.reason;
    if (event.type == EventType::kRevoked) why = "lease revoked by the server; work kept";
    if (event.type == EventType::kWithdrawn) why = "task withdrawn by the requester";
    store.SetState(assignment->id, *to, why, event.reason);
  }
}

void EventApplier::PullFrom(std::string cursor) {
  for (int page = 0; page < 1000; ++page) {
    const EventsReply reply = pass_.api.Events(cursor, kPageLimit);
    Apply(reply);
    cursor = reply.cursor;
    if (!reply.more || reply.events.empty()) return;
  }
}

}  // namespace mano::sync

// EventApplier: events from the server (docs/PROTOCOL.md section 12) stored with their
// cursor in one transaction, then mapped to assignment states (approved, rejected, revoked,
// withdrawn). Pages come from a sync reply (Apply) or from GET /v1/events (PullFrom).
// Internal to the engine.
#pragma once

#include <string>

#include "pass_context.h"

namespace mano::sync {

class EventApplier {
 public:
  explicit EventApplier(const PassContext& pass) : pass_(pass) {}

  // The stored cursor ("" before the first page).
  std::string Cursor() const;
  // Stores one page and moves the cursor to its end.
  void Apply(const EventsReply& page);
  // GET /v1/events from `cursor` until no page says more. Throws SyncError on link trouble.
  void PullFrom(std::string cursor);

  static constexpr int kPageLimit = 200;

 private:
  const PassContext& pass_;
};

}  // namespace mano::sync

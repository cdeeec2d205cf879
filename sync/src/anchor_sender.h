// AnchorSender: anchors (docs/PROTOCOL.md section 10) for assignments with work whose
// latest checkpoint the server has not seen and whose deadline is near or passed. Due()
// lists them; Record() stores what the server answered for one, either from POST /v1/anchor
// (SendEach) or from a sync reply. A refusal (404, 409) is a note in the report, not an
// error, except for a queued result (its submit sorts it out). Internal to the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mano/sync/sync_exchange.h"
#include "pass_context.h"

namespace mano::sync {

struct DueAnchor {
  int64_t id = 0;  // local assignment id
  std::string server_id;
  storage::AssignmentState state = storage::AssignmentState::kInProgress;
  std::string hash;  // 32 hex: the checkpoint's sha256 prefix
};

class AnchorSender {
 public:
  explicit AnchorSender(const PassContext& pass) : pass_(pass) {}

  std::vector<DueAnchor> Due() const;
  // Stores one outcome (code 200: recorded at `server_time_ms`).
  void Record(const DueAnchor& anchor, const AnchorOutcome& outcome, int64_t server_time_ms);
  // The single-endpoint way: one POST /v1/anchor per due anchor. Throws SyncError on link
  // trouble.
  void SendEach();

 private:
  const PassContext& pass_;
};

}  // namespace mano::sync

#include "anchor_sender.h"

#include "mano/sync/sync_error.h"

namespace mano::sync {

using storage::AssignmentState;

std::vector<DueAnchor> AnchorSender::Due() const {
  storage::Store& store = pass_.store;
  const auto now = store.ServerNow(pass_.account.name);
  // Rows with work (open, expired or queued) and a near or passed deadline, without payload.
  std::vector<DueAnchor> near;
  store.ForEachAssignmentSummary(
      pass_.LeanListing({AssignmentState::kClaimed, AssignmentState::kInProgress,
                         AssignmentState::kExpired, AssignmentState::kQueued}),
      [&](const storage::AssignmentSummary& assignment) {
        if (!now || assignment.deadline_server_ms - *now <= pass_.options.anchor_window_ms) {
          near.push_back(DueAnchor{assignment.id, assignment.server_id, assignment.state, {}});
        }
      });
  std::vector<DueAnchor> due;
  for (auto& anchor : near) {
    const auto checkpoint = store.LatestCheckpoint(anchor.id);
    if (!checkpoint) continue;
    anchor.hash = checkpoint->sha256.substr(0, 32);
    const auto anchors = store.ListAnchors(anchor.id);
    if (!anchors.empty() && anchors.back().checkpoint_hash == anchor.hash) continue;
    due.push_back(std::move(anchor));
  }
  return due;
}

void AnchorSender::Record(const DueAnchor& anchor, const AnchorOutcome& outcome,
                          int64_t server_time_ms) {
  if (outcome.code == 200) {
    pass_.store.RecordAnchor(anchor.id, anchor.hash, server_time_ms, outcome.deadline);
    ++pass_.report.anchors;
    return;
  }
  // A queued result may already be on the server (its receipt lost in a cut): the server
  // then refuses the anchor, and the submit that follows sorts it out.
  if (anchor.state == AssignmentState::kQueued) return;
  ReportNote note = ReportNote::Of(ReportCode::kAnchorRefused,
                                   {std::to_string(anchor.id), std::to_string(outcome.code)});
  note.error = SyncErrorKind::kHttp;
  note.http_status = outcome.code;
  note.detail = outcome.error;
  pass_.report.errors.push_back(std::move(note));
}

void AnchorSender::SendEach() {
  const std::vector<DueAnchor> due = Due();
  int done = 0;
  for (const DueAnchor& anchor : due) {
    pass_.progress.Report("anchors", done, static_cast<int64_t>(due.size()));
    try {
      const AnchorReply reply = pass_.api.Anchor(AnchorRequest{anchor.server_id, anchor.hash});
      pass_.Contact(reply.server_time);
      Record(anchor, AnchorOutcome{200, reply.deadline, {}}, reply.server_time);
    } catch (const SyncError& error) {
      // The server refused this one (returned, submitted, revoked): note it and go on.
      if (error.kind() != SyncErrorKind::kHttp || error.http_status() >= 500 ||
          error.http_status() == 429) {
        throw;
      }
      Record(anchor, AnchorOutcome{error.http_status(), 0, error.what()}, 0);
    }
    ++done;
  }
}

}  // namespace mano::sync

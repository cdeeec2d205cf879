#include "mano/sync/result_builder.h"

#include <cstdlib>

#include "mano/sync/crypto_util.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/validate.h"

namespace mano::sync {

using storage::AssignmentState;

Assignment ServerAssignmentOf(const storage::Assignment& assignment) {
  try {
    return Assignment::FromJson(assignment.payload);
  } catch (const SyncError& error) {
    throw SyncError(SyncErrorKind::kBadMessage,
                    "The stored task of assignment " + assignment.server_id +
                        " cannot be read: " + error.what(),
                    error.field());
  }
}

std::string IdempotencyKeyFor(const std::string& server_id) { return server_id + ":1"; }

BuiltResult BuildResult(const storage::Assignment& assignment, const Answer& answer) {
  const Assignment server = ServerAssignmentOf(assignment);
  const auto problems = Validate(server.form, answer);
  if (!problems.empty()) {
    throw SyncError(SyncErrorKind::kBadMessage,
                    "The answer is not complete or not valid: " + problems.front().field + ": " +
                        problems.front().message,
                    problems.front().field);
  }
  // The canonical text is written once: its size is the limit's measure, its hash the "h".
  const std::string canonical = answer.ToJson();
  if (canonical.size() > kMaxUploadBytes) {
    throw SyncError(SyncErrorKind::kTooLarge, "The answer is " + std::to_string(canonical.size()) +
                                                  " bytes; a result carries at most " +
                                                  std::to_string(kMaxUploadBytes) + ".");
  }
  SubmitResult result;
  result.assignment_id = assignment.server_id;
  result.key = IdempotencyKeyFor(assignment.server_id);
  result.answer = answer;
  return BuiltResult{result.key, ToJsonString(result), Sha256Hex(canonical)};
}

std::optional<size_t> OversizeAnswer(const Answer& answer) {
  const size_t bytes = answer.ToJson().size();
  if (bytes > kMaxUploadBytes) return bytes;
  return std::nullopt;
}

std::optional<size_t> OversizeResult(std::string_view body) {
  // The answer is the body less a few hundred bytes ("a", "k" and the braces). A body that
  // is stored already is read whatever its size, to tell the answer's exact size.
  if (body.size() <= kMaxUploadBytes) return std::nullopt;
  try {
    return OversizeAnswer(FromJsonString<SubmitResult>(body, body.size()).answer);
  } catch (const SyncError&) {
    return std::nullopt;  // unreadable: the upload reports that
  }
}

namespace {
constexpr std::string_view kTooLargeTag = "mano:answer_too_large ";
}  // namespace

std::string AnswerTooLargeReason(size_t bytes) {
  return std::string(kTooLargeTag) + std::to_string(bytes) + " " + std::to_string(kMaxUploadBytes);
}

std::optional<TooLargeAnswer> ReadAnswerTooLargeReason(std::string_view reason) {
  if (reason.substr(0, kTooLargeTag.size()) != kTooLargeTag) return std::nullopt;
  const std::string rest(reason.substr(kTooLargeTag.size()));
  char* end = nullptr;
  TooLargeAnswer out;
  out.bytes = std::strtoull(rest.c_str(), &end, 10);
  if (*end != ' ') return std::nullopt;
  const char* limit = end + 1;
  out.limit = std::strtoull(limit, &end, 10);
  if (end == limit || *end != '\0') return std::nullopt;
  return out;
}

int64_t QueueResult(storage::Store& store, int64_t assignment_id, const Answer& answer) {
  const auto assignment = store.GetAssignment(assignment_id);
  if (!assignment) {
    throw SyncError(SyncErrorKind::kConfig,
                    "There is no assignment " + std::to_string(assignment_id) + ".");
  }
  // A result goes up for open work, for work past its deadline (it goes up late) and again
  // for one already queued (same key: nothing changes); every other state has had its answer.
  switch (assignment->state) {
    case AssignmentState::kClaimed:
    case AssignmentState::kInProgress:
    case AssignmentState::kExpired:
    case AssignmentState::kQueued:
      break;
    default:
      throw SyncError(SyncErrorKind::kConfig,
                      "Assignment " + assignment->server_id + " is already " +
                          std::string(storage::ToString(assignment->state)) +
                          " and takes no new result.");
  }
  const BuiltResult built = BuildResult(*assignment, answer);
  try {
    return store.EnqueueResult(assignment_id, built.key, built.body, built.hash);
  } catch (const storage::StoreError& error) {
    throw SyncError(SyncErrorKind::kStorage, error.what());
  }
}

storage::TakeBack TakeBackResult(storage::Store& store, int64_t assignment_id) {
  storage::TakeBack taken = store.TakeBackResult(assignment_id);
  if (taken.status == storage::TakeBackStatus::kTakenBack && taken.item) {
    // Normally the draft already is the answer (both the UI and `mano submit` queue the
    // latest checkpoint); when it is not, the queued answer becomes the draft (an identical
    // one writes nothing).
    const SubmitResult result = FromJsonString<SubmitResult>(taken.item->body, kMaxResultJsonBytes);
    std::string position;
    if (auto latest = store.LatestCheckpoint(assignment_id)) position = latest->ui_position;
    store.SaveCheckpoint(assignment_id, result.answer.ToJson(), position);
  }
  return taken;
}

LateOutlook LateOutlookFor(storage::Store& store, const storage::Assignment& assignment) {
  LateOutlook out;
  out.deadline_server_ms = assignment.deadline_server_ms;
  out.policy = ServerAssignmentOf(assignment).policy.late;
  const auto now = store.ServerNow(assignment.account);
  out.late = now && *now > assignment.deadline_server_ms;
  for (const auto& anchor : store.ListAnchors(assignment.id)) {
    if (anchor.server_time_ms <= assignment.deadline_server_ms) {
      out.anchored = true;
      out.anchor_server_ms = anchor.server_time_ms;
      break;
    }
  }
  return out;
}

}  // namespace mano::sync

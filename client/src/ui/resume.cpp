#include "mano/client/ui/resume.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mano/client/ui/task_layout.h"
#include "mano/storage/atomic_file.h"

namespace mano::client::ui {

std::optional<ResumePoint> FindResumePoint(storage::Store& store, const std::string& screen) {
  if (screen == "queue") return std::nullopt;
  if (screen.rfind("task ", 0) == 0) {
    int64_t id = std::strtoll(screen.c_str() + 5, nullptr, 10);
    auto a = id > 0 ? store.GetAssignment(id) : std::nullopt;
    if (!a || !IsEditable(a->state)) return std::nullopt;
    auto latest = store.LatestCheckpoint(id);
    return ResumePoint{*a, latest ? latest->ui_position : std::string()};
  }
  // The lean listing carries each draft's save time: no payload is read but the winner's.
  storage::ListingQuery query;
  for (int s = 0; s <= static_cast<int>(storage::kLastAssignmentState); ++s) {
    if (IsEditable(static_cast<storage::AssignmentState>(s)))
      query.states.push_back(static_cast<storage::AssignmentState>(s));
  }
  query.with_title = false;
  std::optional<int64_t> best_id;
  int64_t best_ms = -1;
  for (const auto& a : store.ListAssignmentSummaries(query).rows) {
    if (a.draft_version == 0) continue;
    // Ties (same millisecond) go to the higher id, listed later.
    if (a.draft_saved_ms >= best_ms) {
      best_ms = a.draft_saved_ms;
      best_id = a.id;
    }
  }
  if (!best_id) return std::nullopt;
  auto a = store.GetAssignment(*best_id);
  auto latest = store.LatestCheckpoint(*best_id);
  if (!a || !latest) return std::nullopt;
  return ResumePoint{*a, latest->ui_position};
}

void RememberScreen(const std::string& data_dir, const std::string& screen) {
  // Best effort: a screen not remembered only means the UI opens on the queue next time.
  (void)storage::WriteFileAtomically(data_dir + "/ui-screen", screen + "\n");
}

std::string RecallScreen(const std::string& data_dir) {
  std::ifstream in(data_dir + "/ui-screen");
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace mano::client::ui

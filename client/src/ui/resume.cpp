#include "mano/client/ui/resume.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mano/client/ui/task_layout.h"

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
  std::optional<ResumePoint> best;
  int64_t best_ms = -1;
  for (const auto& a : store.ListAssignments()) {
    if (!IsEditable(a.state)) continue;
    auto latest = store.LatestCheckpoint(a.id);
    if (!latest) continue;
    // Ties (same millisecond) go to the higher id, listed later.
    if (latest->saved_ms >= best_ms) {
      best_ms = latest->saved_ms;
      best = ResumePoint{a, latest->ui_position};
    }
  }
  return best;
}

void RememberScreen(const std::string& data_dir, const std::string& screen) {
  std::string path = data_dir + "/ui-screen";
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return;
    out << screen << "\n";
    if (!out.flush()) return;
  }
  std::rename(tmp.c_str(), path.c_str());
}

std::string RecallScreen(const std::string& data_dir) {
  std::ifstream in(data_dir + "/ui-screen");
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace mano::client::ui

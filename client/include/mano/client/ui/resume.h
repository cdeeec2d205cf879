// Where the worker was when mano last stopped: the task screen they were on (or the
// assignment whose draft was saved last), if it can still be edited, with the ui_position saved
// beside that draft. Read from the store, so it survives a quit, a crash (kill -9) or a power cut
// alike. Not thread-safe (reads the Store passed in).
#pragma once

#include <optional>
#include <string>

#include "mano/storage/store.h"

namespace mano::client::ui {

struct ResumePoint {
  storage::Assignment assignment;
  std::string position;  // ui_position of the latest checkpoint
};

// `screen` is what RememberScreen last wrote ("" when unknown): "queue" means the worker had
// left the task, so nothing is reopened; "task <id>" reopens that one if still editable;
// "" falls back to the draft saved last.
std::optional<ResumePoint> FindResumePoint(storage::Store& store, const std::string& screen);

// <data_dir>/ui-screen: which screen the worker is on, written (atomically, by rename) when
// it changes. Small and best effort: a lost write only means falling back to the last draft.
void RememberScreen(const std::string& data_dir, const std::string& screen);
std::string RecallScreen(const std::string& data_dir);

}  // namespace mano::client::ui

// The task screen's presentation, as plain lines (no terminal): the header (title, kind,
// pay, time left), the instructions, what each preset shows (a search result to judge, a
// listing's text, the metadata and cached path of an audio clip or image), and then every
// field of the form (FormModel) with the focused one expanded: options numbered for digit
// keys, a text box with its cursor, the box editor's preview grid with coordinates.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/client/ui/canvas.h"
#include "mano/client/ui/form_model.h"
#include "mano/storage/store.h"
#include "mano/sync/form.h"

namespace mano::client::ui {

struct AssetInfo {
  std::string name;  // as the form refers to it
  std::string type;  // media type
  std::string hash;
  int64_t size = 0;
  int64_t present = 0;  // bytes downloaded
  std::string path;     // cached file (complete or not)
  std::string note;     // a line under it, set by the screen (an audio clip's duration, playing)
  bool complete() const { return size > 0 && present >= size; }
};

struct TaskInfo {
  int64_t id = 0;
  std::string account;
  std::string server_id;
  std::string kind;
  int64_t reward_micros = 0;
  std::string currency;
  storage::AssignmentState state = storage::AssignmentState::kClaimed;
  std::string state_reason;  // the server's or requester's words with the state
  bool editable = true;
  sync::Form form;
  std::vector<AssetInfo> assets;

  const AssetInfo* FindAsset(const std::string& name) const;
};

// States in which the answer may still be edited: claimed, in_progress, expired (late work
// still goes up).
bool IsEditable(storage::AssignmentState state);

// Reads the task out of the stored assignment and the asset cache. Throws SyncError when
// the stored payload cannot be read.
TaskInfo LoadTaskInfo(storage::Store& store, const storage::Assignment& a);

// A field's value in words: the chosen options' labels, the scale value and its label, the
// text, "N boxes"; "-" when empty.
std::string Summary(const FieldState& f);

// The box editor's mode and step in words ("Mode: move the whole box · step 1 px"), and
// why typed coordinates were refused ("" when they were not).
std::string BoxModeText(const BoxEditor& b);
std::string BoxEntryProblemText(const BoxEditor& b);

struct Line {
  std::string text;
  unsigned attrs = 0;
};

struct TaskLayout {
  std::vector<Line> lines;
  int focus_first = 0, focus_last = 0;   // lines of the focused field
  int cursor_line = -1, cursor_col = 0;  // text cursor (cursor_line -1: none)
  // The focused box field's picture (its first line, its column); -1: none on this layout.
  int picture_line = -1, picture_col = 0;
};

// `remaining_text` is the countdown already formatted ("25m", "expired").
TaskLayout LayoutTask(const TaskInfo& task, const FormModel& model,
                      const std::string& remaining_text, int width);

}  // namespace mano::client::ui

// TaskScreen: answering one assignment. Draws the task (task_layout.h) and hands field keys
// to its FormModel. Every change marks the draft dirty (SaveDebounce); when the debounce
// comes due the snapshot goes to the AutosaveWriter thread, so typing never waits for the
// disk. Enter is a new line in a multi-line text and moves to the next field elsewhere; it
// never sends. F10 (or Ctrl-R) opens the review (review_layout.h): every answer, the
// problems, the late policy's verdict, and two buttons; the result is queued
// (sync::QueueResult, works offline) only by Enter on the "Send" button, which the worker
// reaches with Tab, so no run of typed text can send. A queued result still in the outbox
// goes back to a draft with `r` (sync::TakeBackResult); once it is on the wire the screen
// says it cannot. Ctrl-Z (or `u` outside a text field) goes back to the previous saved
// version of the draft (Store::UndoCheckpoint); `o` / Ctrl-O opens the task's media file
// with the viewer (an audio clip plays with the player: `p` plays, `s` stops, the screen
// shows its duration and the time played; leaving the task stops it); Esc saves and goes back.
// Drafts are saved on top of the version loaded (AutosaveWriter::SetBase): a newer version
// written meanwhile by another window is reloaded, the worker told, her edit one undo away.
// A task open in another UI (TaskLock) or a read-only session opens read-only.
// Not thread-safe (UI thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mano/client/ui/autosave.h"
#include "mano/client/ui/clip_player.h"
#include "mano/client/ui/form_model.h"
#include "mano/client/ui/image_view.h"
#include "mano/client/ui/screen.h"
#include "mano/client/ui/task_layout.h"
#include "mano/client/ui/task_lock.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/validate.h"

namespace mano::client::ui {

class TaskScreen final : public Screen {
 public:
  // Loads the latest draft; `position` overrides the draft's saved ui_position when given.
  TaskScreen(UiContext& ctx, const storage::Assignment& assignment, std::string position);

  std::string Title() const override;
  const KeyTable& keys() const override;
  bool InText() const override {
    return (model_.FocusIsText() || model_.FocusCapturesKeys()) && !reviewing_ && info_.editable;
  }
  void Draw(Canvas& canvas, int top, int rows) override;
  Outcome HandleKey(const Key& key) override;
  void Refresh() override;
  std::optional<int64_t> NextTickMs() const override;
  bool Tick(int64_t now_mono_ms) override;
  void Leave() override;
  std::optional<ledger::Focus> WorkFocus() const override {
    return ledger::Focus{ledger::FocusOn::kTask, info_.account, info_.id};
  }
  std::optional<int64_t> EditedAssignment() const override { return info_.id; }
  void DraftChangedElsewhere() override { ReloadChanged(); }

  const FormModel& model() const { return model_; }
  bool reviewing() const { return reviewing_; }
  bool send_focused() const { return reviewing_ && send_focused_; }
  bool dirty() const { return debounce_.dirty(); }
  int64_t assignment_id() const { return info_.id; }
  const std::string& account() const { return info_.account; }
  // Another writer (the CLI, another window) changed the draft: write what is typed (it is
  // kept one undo under the newer version), load the newer version and say so.
  void ReloadChanged();
  bool read_only() const { return !read_only_reason_.empty(); }
  // Saves what is typed, then reloads (ReloadChanged) when another writer changed the
  // draft since this screen's version: never submit over an edit the screen has not shown.
  bool ReloadIfChanged();

 private:
  void Changed();
  void SaveNow();  // posts the snapshot to the writer
  Outcome Review();
  Outcome ReviewKey(const Key& key);
  void LeaveReview();
  Outcome Send();
  Outcome TakeBack();
  void DrawReview(Canvas& canvas, int top, int rows);
  bool CanSend() const { return review_problems_.empty(); }
  Outcome Undo();
  // task_screen_media.cpp: `o` opens the media file (an audio clip plays in the UI), the
  // link, or says why not; `p` plays the clip with the player, `s` stops it.
  Outcome OpenMedia();
  Outcome OpenLink();
  Outcome Play();
  Outcome StopPlaying();
  const AssetInfo* MediaAsset() const;  // the focused field's, else the first one shown
  void PollPlayer();                    // the player ended: says how (once)
  void UpdateAudioNotes();              // each audio clip's duration, and what plays
  std::string RemainingText() const;
  Outcome RefuseEdit();  // the message why this assignment cannot be changed
  // Draws each box field's image (once per width; a bad file is said once). Zoomed: the
  // focused box field's image and boxes over the whole screen.
  void UpdatePictures(int cols);
  bool DrawZoomed(Canvas& canvas, int top, int rows);
  // Where the terminal draws pixels (sixel, kitty): the focused box field's picture in
  // pixels, its boxes drawn in, over the symbols (only when the whole picture is in view).
  void DrawPixels(Canvas& canvas, int top, int rows, const TaskLayout& layout);

  UiContext& ctx_;
  TaskInfo info_;
  FormModel model_;
  SaveDebounce debounce_;
  bool reviewing_ = false;
  bool send_focused_ = false;  // review: the "Send" button has the focus (else "Back")
  std::vector<sync::ValidationError> review_problems_;
  sync::LateOutlook review_late_;
  int review_scroll_ = 0;
  int scroll_ = 0;
  int64_t deadline_server_ms_ = 0;
  std::optional<int64_t> remaining_at_load_;
  int64_t loaded_mono_ = 0;
  std::unique_ptr<TaskLock> lock_;  // null in tests without a data dir
  std::string read_only_reason_;    // non-empty: opened read-only (another window, disk full)
  bool read_only_disk_ = false;     // ... because the session was (until it can write again)
  int picture_cols_ = -1;           // the width the pictures were drawn for
  bool zoomed_ = false;
  PixelMode pixel_mode_ = PixelMode::kSymbols;
  Image pixel_image_;        // the focused box field's image, scaled to its cells' pixels
  int pixel_field_ = -1;     // ... of this field
  int pixel_cols_ = -1;      // ... for a picture this many cells wide
  std::string pixel_key_;    // the boxes and cell size pixel_bytes_ was drawn for
  std::string pixel_bytes_;  // the picture's sixel / kitty sequences
  ClipPlayer player_;
  std::string playing_asset_;         // the name of the clip player_ plays
  int64_t played_seconds_drawn_ = 0;  // the time played the screen shows, in whole seconds
  std::map<std::string, std::optional<int64_t>> durations_;  // per audio asset, once read
};

}  // namespace mano::client::ui

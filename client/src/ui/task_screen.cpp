#include "mano/client/ui/task_screen.h"

#include "mano/client/ui/background_sync.h"
#include "mano/client/ui/help_screen.h"
#include "mano/client/ui/media_opener.h"
#include "mano/client/ui/queue_screen.h"
#include "mano/client/ui/status_line.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/ui/utf8_text.h"
#include "mano/sync/result_builder.h"

namespace mano::client::ui {

TaskScreen::TaskScreen(UiContext& ctx, const storage::Assignment& assignment, std::string position)
    : ctx_(ctx),
      info_(LoadTaskInfo(*ctx.store, assignment)),
      model_(info_.form),
      deadline_server_ms_(assignment.deadline_server_ms) {
  if (ctx_.read_only) {
    read_only_reason_ = T("Read-only: the disk is full.");
    read_only_disk_ = true;
  } else if (!ctx_.data_dir.empty()) {
    lock_ = std::make_unique<TaskLock>(ctx_.data_dir, info_.id);
    if (lock_->taken()) {
      read_only_reason_ = TF("This task is open in another window (process {0}): opened read-only.",
                             {std::to_string(lock_->holder())});
    }
  }
  if (!read_only_reason_.empty()) {
    info_.editable = false;
    ctx_.message = read_only_reason_;
  }
  int64_t base = 0;
  if (auto latest = ctx_.store->LatestCheckpoint(info_.id)) {
    base = latest->version;
    if (!latest->content.empty()) {
      try {
        model_.Load(sync::Answer::FromJson(latest->content));
      } catch (const std::exception&) {
        ctx_.message = T("The saved draft could not be read; starting empty.");
      }
    }
    if (position.empty()) position = latest->ui_position;
  }
  if (ctx_.writer) ctx_.writer->SetBase(info_.id, base);
  model_.RestorePosition(position);
  if (auto now = ctx_.store->ServerNow(info_.account)) {
    remaining_at_load_ = deadline_server_ms_ - *now;
  }
  loaded_mono_ = ctx_.clock->MonotonicMs();
}

std::string TaskScreen::Title() const {
  return read_only() ? std::string(T("Task")) + " · " + T("read-only") : std::string(T("Task"));
}

const KeyTable& TaskScreen::keys() const {
  static const KeyTable table({
      {Key::Named(KeyCode::kTab), Action::kNextField, "next field", true, false},
      {Key::Named(KeyCode::kBackTab), Action::kPrevField, "previous field", false, false},
      {Key::Named(KeyCode::kEnter), Action::kSubmit, "submit", true, false},
      {Key::Ctrl('z'), Action::kUndo, "undo to the last saved version", false, false},
      {Key::Char(U'u'), Action::kUndo, "undo", true, true},
      {Key::Char(U'o'), Action::kOpenMedia, "open file", true, true},
      {Key::Ctrl('o'), Action::kOpenMedia, "open file", false, false},
      {Key::Char(U'?'), Action::kHelp, "help", true, true},
      {Key::Named(KeyCode::kF1), Action::kHelp, "help", false, false},
      {Key::Named(KeyCode::kEscape), Action::kBack, "back", true, false},
  });
  return table;
}

std::string TaskScreen::RemainingText() const {
  if (!remaining_at_load_) return FormatRemaining(std::nullopt);
  return FormatRemaining(*remaining_at_load_ - (ctx_.clock->MonotonicMs() - loaded_mono_));
}

void TaskScreen::Draw(Canvas& canvas, int top, int rows) {
  TaskLayout layout = LayoutTask(info_, model_, RemainingText(), canvas.cols());
  int n = static_cast<int>(layout.lines.size());
  // Keep the focused field (and the cursor) in view; show the header when it fits.
  int want_last = std::max(layout.focus_last, layout.cursor_line);
  if (want_last >= scroll_ + rows) scroll_ = want_last - rows + 1;
  if (layout.focus_first < scroll_) scroll_ = layout.focus_first;
  if (layout.focus_last - layout.focus_first + 1 > rows && layout.cursor_line >= 0) {
    scroll_ = std::max(0, layout.cursor_line - rows + 1);
  }
  scroll_ = std::clamp(scroll_, 0, std::max(0, n - 1));
  for (int i = 0; i < rows && scroll_ + i < n; ++i) {
    const Line& l = layout.lines[scroll_ + i];
    canvas.Put(top + i, 0, l.text, l.attrs);
  }
  if (layout.cursor_line >= scroll_ && layout.cursor_line < scroll_ + rows && !confirming_) {
    canvas.SetCursor(top + layout.cursor_line - scroll_, layout.cursor_col, true);
  }
}

void TaskScreen::Changed() { debounce_.Changed(ctx_.clock->MonotonicMs()); }

void TaskScreen::SaveNow() {
  if (!debounce_.dirty()) return;
  ctx_.writer->Post(info_.id, model_.ToAnswer().ToJson(), model_.Position());
  debounce_.Saved();
}

std::optional<int64_t> TaskScreen::NextTickMs() const {
  std::optional<int64_t> next = debounce_.deadline();
  if (remaining_at_load_) {
    int64_t now = ctx_.clock->MonotonicMs();
    auto wait = CountdownStepMs(*remaining_at_load_ - (now - loaded_mono_));
    if (wait && (!next || now + *wait < *next)) next = now + *wait;
  }
  return next;
}

bool TaskScreen::Tick(int64_t now_mono_ms) {
  if (debounce_.Due(now_mono_ms)) SaveNow();
  return true;  // the countdown may have changed
}

void TaskScreen::Leave() {
  if (!ctx_.writer) return;  // a read-only session
  SaveNow();
  ctx_.writer->Flush();
}

void TaskScreen::ReloadChanged() {
  SaveNow();
  ctx_.writer->Flush();
  try {
    auto latest = ctx_.store->LatestCheckpoint(info_.id);
    if (!latest) return;
    std::string position = model_.Position();
    model_.Load(latest->content.empty() ? sync::Answer() : sync::Answer::FromJson(latest->content));
    model_.RestorePosition(position);
    ctx_.writer->SetBase(info_.id, latest->version);
    ctx_.message = T("Changed in another window — reloaded; your last edit is in undo.");
  } catch (const std::exception& e) {
    ctx_.message = TF("Could not reload the draft: {0}", {e.what()});
  }
}

bool TaskScreen::ReloadIfChanged() {
  SaveNow();
  ctx_.writer->Flush();
  auto base = ctx_.writer->base(info_.id);
  auto latest = ctx_.store->LatestCheckpoint(info_.id);
  int64_t version = latest ? latest->version : 0;
  if (ctx_.writer->TakeConflict(info_.id) || (base && *base != version)) {
    ReloadChanged();
    return true;
  }
  return false;
}

Outcome TaskScreen::RefuseEdit() {
  ctx_.message =
      read_only() ? read_only_reason_ : std::string(T("This assignment can no longer be changed."));
  return {kHandled | kRedraw, nullptr};
}

void TaskScreen::Refresh() {
  if (read_only_disk_ && !ctx_.read_only && ctx_.writer) {
    // The session can write again: edit from the version on disk now.
    read_only_disk_ = false;
    read_only_reason_.clear();
    auto latest = ctx_.store->LatestCheckpoint(info_.id);
    ctx_.writer->SetBase(info_.id, latest ? latest->version : 0);
  }
  // Assets may have finished downloading; the state may have changed (expired, revoked).
  if (auto a = ctx_.store->GetAssignment(info_.id)) {
    TaskInfo fresh = LoadTaskInfo(*ctx_.store, *a);
    info_.assets = fresh.assets;
    info_.state = fresh.state;
    info_.editable = fresh.editable && !read_only();
    if (a->deadline_server_ms != deadline_server_ms_) {
      deadline_server_ms_ = a->deadline_server_ms;
      if (auto now = ctx_.store->ServerNow(info_.account)) {
        remaining_at_load_ = deadline_server_ms_ - *now;
        loaded_mono_ = ctx_.clock->MonotonicMs();
      }
    }
  }
}

Outcome TaskScreen::Submit() {
  if (ReloadIfChanged()) return {kHandled | kRedraw, nullptr};
  auto problems = model_.Validate();
  if (!problems.empty()) {
    const auto& p = problems.front();
    ctx_.message = TF("Not ready: {0}: {1}", {p.field, p.message});
    for (size_t i = 0; i < model_.fields().size(); ++i) {
      if (p.field.rfind(model_.fields()[i].field.name, 0) == 0) model_.Focus(static_cast<int>(i));
    }
    return {kHandled | kRedraw, nullptr};
  }
  confirming_ = true;
  ctx_.message = T("Submit this answer? y = yes, n = no");
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::Undo() {
  // Whatever is typed but not yet saved becomes a version first, so undo returns to the
  // version before it and nothing typed is silently lost.
  SaveNow();
  ctx_.writer->Flush();
  try {
    auto restored = ctx_.store->UndoCheckpoint(info_.id);
    if (!restored) {
      ctx_.message = T("There is no older saved version.");
      return {kHandled | kRedraw, nullptr};
    }
    model_.Load(restored->content.empty() ? sync::Answer()
                                          : sync::Answer::FromJson(restored->content));
    model_.RestorePosition(restored->ui_position);
    ctx_.writer->SetBase(info_.id, restored->version);
    ctx_.message = TF("Back to saved version {0}.", {std::to_string(restored->restored_from)});
  } catch (const std::exception& e) {
    ctx_.message = TF("Undo failed: {0}", {e.what()});
  }
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::OpenMedia() {
  const AssetInfo* asset = nullptr;
  if (const FieldState* f = model_.focused(); f && !f->field.asset.empty()) {
    asset = info_.FindAsset(f->field.asset);
  }
  if (!asset) {
    for (const auto& item : info_.form.show) {
      if (item.type == sync::ShowType::kAsset) {
        asset = info_.FindAsset(item.value);
        if (asset) break;
      }
    }
  }
  if (!asset) {
    ctx_.message = T("This task has no media file.");
  } else if (!asset->complete()) {
    ctx_.message = T("The file is not downloaded yet; it comes with the next sync.");
  } else {
    auto command = MediaCommand(ctx_.config, asset->type);
    std::string error =
        ctx_.TEST_open ? ctx_.TEST_open(command, asset->path) : OpenDetached(command, asset->path);
    ctx_.message = error.empty() ? TF("Opened with {0}.", {command.front()})
                                 : TF("Could not open the file: {0}", {error});
  }
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::HandleKey(const Key& key) {
  if (confirming_) {
    if (key.IsChar(U'y') || key.IsChar(U'Y') || key.IsChar(U's') || key.IsChar(U'o') ||
        key.code == KeyCode::kEnter) {
      confirming_ = false;
      if (ReloadIfChanged()) return {kHandled | kRedraw, nullptr};
      try {
        sync::QueueResult(*ctx_.store, info_.id, model_.ToAnswer());
      } catch (const std::exception& e) {
        ctx_.message = TF("Could not submit: {0}", {e.what()});
        return {kHandled | kRedraw, nullptr};
      }
      if (ctx_.sync) ctx_.sync->Wake();
      ctx_.message = T("Submitted. It is sent as soon as the server can be reached.");
      return {kHandled | kRedraw | kPop, nullptr};
    }
    confirming_ = false;
    ctx_.message = T("Not submitted.");
    return {kHandled | kRedraw, nullptr};
  }
  bool in_text = model_.FocusIsText();
  if (auto action = keys().Lookup(key, in_text)) {
    switch (*action) {
      case Action::kNextField:
        model_.NextField();
        return {kHandled | kRedraw, nullptr};
      case Action::kPrevField:
        model_.PrevField();
        return {kHandled | kRedraw, nullptr};
      case Action::kSubmit:
        if (!info_.editable) return RefuseEdit();
        return Submit();
      case Action::kUndo:
        if (!info_.editable) return {kHandled, nullptr};
        return Undo();
      case Action::kOpenMedia:
        return OpenMedia();
      case Action::kHelp:
        return {kHandled | kRedraw,
                std::make_unique<HelpScreen>(
                    keys(), Title(),
                    std::vector<std::string>{
                        "", T("In a field: digits pick an option, Up/Down move, Space ticks,"),
                        T("Left/Right change a scale; boxes: n new, x delete, m move/resize,"),
                        T("l label, [ ] other box, arrows move or resize by one cell.")})};
      case Action::kBack:
        Leave();
        return {kHandled | kRedraw | kPop, nullptr};
      default:
        break;
    }
  }
  if (!info_.editable) return RefuseEdit();
  FormModel::Result r = model_.HandleKey(key);
  if (r.changed) Changed();
  if (r.handled) return {kHandled | kRedraw, nullptr};
  return {};
}

}  // namespace mano::client::ui

#include "mano/client/ui/task_screen.h"

#include <unistd.h>

#include "mano/client/i18n.h"
#include "mano/client/sync_text.h"
#include "mano/client/ui/background_sync.h"
#include "mano/client/ui/help_screen.h"
#include "mano/client/ui/image_loader.h"
#include "mano/client/ui/media_opener.h"
#include "mano/client/ui/queue_screen.h"
#include "mano/client/ui/review_layout.h"
#include "mano/client/ui/status_line.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"
#include "mano/storage/enum_names.h"
#include "mano/sync/limits.h"
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
        model_.Load(sync::Answer::FromJson(latest->content, latest->content.size()));
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
  pixel_mode_ = ChoosePixelMode(ctx_.config.pictures, environ);
}

std::string TaskScreen::Title() const {
  if (reviewing_) return T("Review");
  return read_only() ? std::string(T("Task")) + " · " + T("read-only") : std::string(T("Task"));
}

namespace {

// What every state of a task's form binds after its own keys: the media (open, play, stop),
// help and back. `editing`: the letter keys are ignored while a text field has the focus (they
// are typed into it).
std::vector<Binding> MediaAndHelpKeys(bool editing) {
  return {
      {Key::Char(U'o'), Action::kOpenMedia, "open file", true, editing},
      {Key::Ctrl('o'), Action::kOpenMedia, "open file", false, false},
      {Key::Char(U'p'), Action::kPlay, "play the audio clip", false, editing},
      {Key::Ctrl('p'), Action::kPlay, "play the audio clip", false, false},
      {Key::Char(U's'), Action::kStopPlaying, "stop the audio clip", false, editing},
      {Key::Char(U'?'), Action::kHelp, "help", true, editing},
      {Key::Named(KeyCode::kF1), Action::kHelp, "help", false, false},
      {Key::Named(KeyCode::kEscape), Action::kBack, "back", true, false},
  };
}

// `head` followed by MediaAndHelpKeys(editing).
KeyTable FormKeys(std::vector<Binding> head, bool editing) {
  for (Binding& b : MediaAndHelpKeys(editing)) head.push_back(b);
  return KeyTable(std::move(head));
}

}  // namespace

const KeyTable& TaskScreen::keys() const {
  static const KeyTable editing = FormKeys(
      {
          {Key::Named(KeyCode::kTab), Action::kNextField, "next field", true, false},
          {Key::Named(KeyCode::kBackTab), Action::kPrevField, "previous field", false, false},
          {Key::Named(KeyCode::kEnter), Action::kNextField,
           "next field (a new line in a long text)", false, false},
          // Ctrl-R works on every terminal; F10 is missing on a vt100 and taken by some
          // terminal windows for their menu.
          {Key::Ctrl('r'), Action::kReview, "send…", true, false},
          {Key::Named(KeyCode::kF10), Action::kReview, "send (after a review of every answer)",
           false, false},
          {Key::Ctrl('z'), Action::kUndo, "undo to the last saved version", false, false},
          {Key::Char(U'u'), Action::kUndo, "undo", true, true},
      },
      true);
  // Queued (still in the outbox) and any other state that takes no edits: no send; `r`
  // takes a queued result back (elsewhere it says why it cannot).
  static const KeyTable queued = FormKeys(
      {
          {Key::Char(U'r'), Action::kTakeBack, "take back to a draft", true, false},
          {Key::Named(KeyCode::kTab), Action::kNextField, "next field", true, false},
          {Key::Named(KeyCode::kBackTab), Action::kPrevField, "previous field", false, false},
      },
      false);
  static const KeyTable read_only = FormKeys(
      {
          {Key::Named(KeyCode::kTab), Action::kNextField, "next field", true, false},
          {Key::Named(KeyCode::kBackTab), Action::kPrevField, "previous field", false, false},
          {Key::Char(U'r'), Action::kTakeBack, "take back to a draft", false, false},
      },
      false);
  // The review: letters do nothing here; sending is Tab to "Send", then Enter.
  static const KeyTable review({
      {Key::Named(KeyCode::kTab), Action::kNextField, "choose a button", true, false},
      {Key::Named(KeyCode::kBackTab), Action::kPrevField, "choose a button", false, false},
      {Key::Named(KeyCode::kRight), Action::kNextField, "choose a button", false, false},
      {Key::Named(KeyCode::kLeft), Action::kPrevField, "choose a button", false, false},
      {Key::Named(KeyCode::kEnter), Action::kPressButton, "press the chosen button", true, false},
      {Key::Named(KeyCode::kUp), Action::kUp, "scroll", false, false},
      {Key::Named(KeyCode::kDown), Action::kDown, "scroll", false, false},
      {Key::Named(KeyCode::kPageUp), Action::kPageUp, "scroll", false, false},
      {Key::Named(KeyCode::kPageDown), Action::kPageDown, "scroll", false, false},
      {Key::Named(KeyCode::kF1), Action::kHelp, "help", false, false},
      {Key::Named(KeyCode::kEscape), Action::kBack, "back to the form", true, false},
  });
  if (reviewing_) return review;
  if (info_.editable) return editing;
  if (info_.state == storage::AssignmentState::kQueued) return queued;
  return read_only;
}

std::string TaskScreen::RemainingText() const {
  if (!remaining_at_load_) return FormatRemaining(std::nullopt);
  return FormatRemaining(*remaining_at_load_ - (ctx_.clock->MonotonicMs() - loaded_mono_));
}

namespace {

// Rows the picture of a box field takes in the task's layout: what 80x24 leaves for it.
constexpr int kPictureRows = 9;
constexpr int kPictureIndent = 4;

// What the worker is told when a box field's picture cannot be drawn (nothing for kNone).
constexpr storage::EnumName<ImageProblem> kImageProblemTexts[] = {
    {ImageProblem::kUnreadable,
     N_("The image file cannot be read; the boxes are drawn on a plain grid.")},
    {ImageProblem::kFileTooLarge,
     N_("The image is too large to draw here; the boxes are drawn on a plain grid.")},
    {ImageProblem::kTooManyPixels,
     N_("The image is too large to draw here; the boxes are drawn on a plain grid.")},
    {ImageProblem::kNotSupported,
     N_("Only PNG and JPEG images are drawn here; the boxes are drawn on a plain grid.")},
    {ImageProblem::kDamaged, N_("The image file is damaged; the boxes are drawn on a plain grid.")},
};

std::string ImageProblemText(ImageProblem problem) {
  const char* text = storage::NameOf(kImageProblemTexts, problem, nullptr);
  return text ? T(text) : "";
}

}  // namespace

void TaskScreen::UpdatePictures(int cols) {
  if (cols == picture_cols_) return;
  picture_cols_ = cols;
  for (int i = 0; i < static_cast<int>(model_.fields().size()); ++i) {
    const FieldState& f = model_.fields()[static_cast<size_t>(i)];
    if (f.field.type != sync::FieldType::kBoxes || f.field.asset.empty()) continue;
    const AssetInfo* asset = info_.FindAsset(f.field.asset);
    if (!asset || !asset->complete()) {
      picture_cols_ = -1;  // again once it is downloaded
      continue;
    }
    ImageResult loaded = LoadImage(asset->path);
    if (loaded.problem != ImageProblem::kNone) {
      ctx_.message = ImageProblemText(loaded.problem);
      model_.SetBoxPicture(i, {});
      continue;
    }
    model_.SetBoxPicture(
        i, RenderPicture(loaded.image, std::max(1, cols - kPictureIndent - 1), kPictureRows));
  }
}

bool TaskScreen::DrawZoomed(Canvas& canvas, int top, int rows) {
  const FieldState* f = model_.focused();
  if (!f || f->field.type != sync::FieldType::kBoxes) return false;
  const AssetInfo* asset = info_.FindAsset(f->field.asset);
  if (!asset || !asset->complete()) return false;
  ImageResult loaded = LoadImage(asset->path);
  if (loaded.problem != ImageProblem::kNone) return false;
  BoxEditor view = f->boxes;
  view.SetPicture(RenderPicture(loaded.image, canvas.cols(), std::max(1, rows - 1)));
  auto lines = view.Preview();
  int left = std::max(0, (canvas.cols() - view.cols()) / 2);
  for (int i = 0; i < static_cast<int>(lines.size()) && i < rows - 1; ++i) {
    canvas.Put(top + i, left, lines[static_cast<size_t>(i)]);
  }
  std::string desc = view.current() < 0 ? std::string(T("no boxes yet")) : view.Describe();
  canvas.Put(top + rows - 1, 0, FitToWidth(desc + " · " + T("z back to the form"), canvas.cols()),
             kAttrBold);
  return true;
}

void TaskScreen::Draw(Canvas& canvas, int top, int rows) {
  if (reviewing_) return DrawReview(canvas, top, rows);
  UpdatePictures(canvas.cols());
  if (zoomed_ && DrawZoomed(canvas, top, rows)) return;
  zoomed_ = false;
  UpdateAudioNotes();
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
  if (layout.cursor_line >= scroll_ && layout.cursor_line < scroll_ + rows && info_.editable) {
    canvas.SetCursor(top + layout.cursor_line - scroll_, layout.cursor_col, true);
  }
  if (pixel_mode_ != PixelMode::kSymbols) DrawPixels(canvas, top, rows, layout);
}

void TaskScreen::DrawPixels(Canvas& canvas, int top, int rows, const TaskLayout& layout) {
  const FieldState* f = model_.focused();
  if (layout.picture_line < 0 || !f) return;
  const BoxEditor& b = f->boxes;
  int first = layout.picture_line - scroll_;
  if (first < 0 || first + b.rows() > rows) return;  // only a whole picture
  int cell_w = 0, cell_h = 0;
  CellPixels(STDOUT_FILENO, cell_w, cell_h);
  if (pixel_field_ != model_.focus() || pixel_cols_ != b.cols()) {
    pixel_field_ = model_.focus();
    pixel_cols_ = b.cols();
    pixel_key_.clear();
    pixel_image_ = {};
    const AssetInfo* asset = info_.FindAsset(f->field.asset);
    if (asset && asset->complete()) {
      ImageResult loaded = LoadImage(asset->path);
      if (loaded.problem == ImageProblem::kNone) {
        pixel_image_ =
            ScaleDown(loaded.image, int64_t{b.cols()} * cell_w, int64_t{b.rows()} * cell_h);
      }
    }
  }
  if (pixel_image_.rgba.empty()) return;
  std::string key =
      std::to_string(cell_w) + "x" + std::to_string(cell_h) + " " + std::to_string(b.current());
  for (const auto& box : b.boxes()) {
    key += " " + std::to_string(box.x) + "," + std::to_string(box.y) + "," + std::to_string(box.w) +
           "," + std::to_string(box.h);
  }
  if (key != pixel_key_) {
    Image drawn = pixel_image_;
    b.DrawInto(drawn);
    pixel_bytes_ = RenderPixels(drawn, b.cols(), b.rows(), pixel_mode_, cell_w, cell_h);
    pixel_key_ = key;
  }
  canvas.SetGraphic(top + first, layout.picture_col, pixel_bytes_,
                    pixel_mode_ == PixelMode::kKitty);
}

void TaskScreen::DrawReview(Canvas& canvas, int top, int rows) {
  int cols = canvas.cols();
  std::vector<Line> lines = LayoutReview(info_, model_, review_problems_, review_late_, cols - 2);
  // The buttons keep the last two rows, whatever the length of the answers above them.
  int body = std::max(1, rows - 2);
  int n = static_cast<int>(lines.size());
  review_scroll_ = std::clamp(review_scroll_, 0, std::max(0, n - body));
  for (int i = 0; i < body && review_scroll_ + i < n; ++i) {
    const Line& l = lines[review_scroll_ + i];
    canvas.Put(top + i, 1, l.text, l.attrs);
  }
  if (review_scroll_ + body < n) canvas.Put(top + body - 1, cols - 2, "v", kAttrBold);
  int row = top + rows - 1;
  int col = 1;
  std::string back = std::string("[ ") + T("Back to the form") + " ]";
  col += canvas.Put(row, col, back, send_focused_ ? kAttrNormal : kAttrReverse) + 3;
  if (!CanSend()) {
    canvas.Put(row, col, T("(fix the problems above to send)"));
    return;
  }
  bool anyway = review_late_.late && !review_late_.Accepted();
  std::string send = std::string("[ ") + (anyway ? T("Send anyway") : T("Send")) + " ]";
  canvas.Put(row, col, send, send_focused_ ? kAttrReverse : kAttrNormal);
}

void TaskScreen::Changed() { debounce_.Changed(ctx_.clock->MonotonicMs()); }

void TaskScreen::SaveNow() {
  if (!debounce_.dirty()) return;
  ctx_.writer->Post(info_.id, model_.ToAnswer().ToJson(), model_.Position());
  debounce_.Saved();
}

std::optional<int64_t> TaskScreen::NextTickMs() const {
  std::optional<int64_t> next = debounce_.deadline();
  if (player_.playing()) {
    // The second after the one drawn last (due until it is drawn); nothing when nothing plays.
    int64_t at = player_.started_mono_ms() + (played_seconds_drawn_ + 1) * 1000;
    if (!next || at < *next) next = at;
  }
  if (remaining_at_load_) {
    int64_t now = ctx_.clock->MonotonicMs();
    auto wait = CountdownStepMs(*remaining_at_load_ - (now - loaded_mono_));
    if (wait && (!next || now + *wait < *next)) next = now + *wait;
  }
  return next;
}

bool TaskScreen::Tick(int64_t now_mono_ms) {
  if (debounce_.Due(now_mono_ms)) SaveNow();
  PollPlayer();
  return true;  // the countdown may have changed
}

void TaskScreen::Leave() {
  player_.Stop();            // no clip plays on after its task is closed
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
    model_.Load(latest->content.empty()
                    ? sync::Answer()
                    : sync::Answer::FromJson(latest->content, latest->content.size()));
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
    info_.state_reason = fresh.state_reason;
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

Outcome TaskScreen::Review() {
  // Another window's newer version is shown before anything is reviewed or sent.
  if (ReloadIfChanged()) return {kHandled | kRedraw, nullptr};
  review_problems_ = model_.Validate();
  review_late_ = {};
  try {
    if (auto a = ctx_.store->GetAssignment(info_.id)) {
      review_late_ = sync::LateOutlookFor(*ctx_.store, *a);
    }
  } catch (const std::exception& e) {
    ctx_.message = TF("Could not read the task: {0}", {e.what()});
  }
  reviewing_ = true;
  send_focused_ = false;  // Enter alone goes back to the form
  review_scroll_ = 0;
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::ReviewKey(const Key& key) {
  auto action = keys().Lookup(key, false);
  if (!action) return {kHandled, nullptr};  // typed letters do nothing on the review
  switch (*action) {
    case Action::kNextField:
    case Action::kPrevField:
      send_focused_ = CanSend() && !send_focused_;
      return {kHandled | kRedraw, nullptr};
    case Action::kPressButton:
      if (send_focused_ && CanSend()) return Send();
      LeaveReview();
      return {kHandled | kRedraw, nullptr};
    case Action::kUp:
      --review_scroll_;
      return {kHandled | kRedraw, nullptr};
    case Action::kDown:
      ++review_scroll_;
      return {kHandled | kRedraw, nullptr};
    case Action::kPageUp:
      review_scroll_ -= 10;
      return {kHandled | kRedraw, nullptr};
    case Action::kPageDown:
      review_scroll_ += 10;
      return {kHandled | kRedraw, nullptr};
    case Action::kHelp:
      return OpenHelp(*this,
                      {"", T("Nothing is sent until you press Tab to choose Send, then Enter."),
                       T("A result still waiting in the outbox can be taken back with r.")});
    case Action::kBack:
      LeaveReview();
      return {kHandled | kRedraw, nullptr};
    default:
      return {kHandled, nullptr};
  }
}

void TaskScreen::LeaveReview() {
  reviewing_ = false;
  // Back on the field of the first problem, ready to fix it.
  if (review_problems_.empty()) return;
  int field = model_.FieldIndexOf(review_problems_.front().field);
  if (field >= 0) model_.Focus(field);
}

Outcome TaskScreen::Send() {
  if (ReloadIfChanged()) {
    reviewing_ = false;  // what was reviewed is not what is stored: look again
    return {kHandled | kRedraw, nullptr};
  }
  SaveNow();
  ctx_.writer->Flush();
  const sync::Answer answer = model_.ToAnswer();
  try {
    sync::QueueResult(*ctx_.store, info_.id, answer);
  } catch (const sync::SyncError& e) {
    ctx_.message = TF(
        "Could not submit: {0}",
        {e.kind() == sync::SyncErrorKind::kTooLarge
             ? AnswerTooLargeText(sync::OversizeAnswer(answer).value_or(0), sync::kMaxUploadBytes)
             : std::string(e.what())});
    return {kHandled | kRedraw, nullptr};
  } catch (const std::exception& e) {
    ctx_.message = TF("Could not submit: {0}", {e.what()});
    return {kHandled | kRedraw, nullptr};
  }
  reviewing_ = false;
  if (ctx_.sync) ctx_.sync->Wake();
  ctx_.message = T("Submitted. It is sent as soon as the server can be reached.");
  return {kHandled | kRedraw | kPop, nullptr};
}

Outcome TaskScreen::TakeBack() {
  try {
    storage::TakeBack taken = sync::TakeBackResult(*ctx_.store, info_.id);
    switch (taken.status) {
      case storage::TakeBackStatus::kTakenBack:
        if (auto latest = ctx_.store->LatestCheckpoint(info_.id);
            latest && !latest->content.empty()) {
          model_.Load(sync::Answer::FromJson(latest->content, latest->content.size()));
        }
        Refresh();
        ctx_.message =
            T("Taken back: it is a draft again and nothing was sent. Ctrl-R reviews it and sends "
              "it.");
        break;
      case storage::TakeBackStatus::kOnTheWire:
        ctx_.message =
            T("This result has already gone to the server (or is going now): it cannot be "
              "taken back.");
        break;
      case storage::TakeBackStatus::kNotQueued:
        ctx_.message = T("There is no result of this task waiting in the outbox.");
        break;
    }
  } catch (const std::exception& e) {
    ctx_.message = TF("Could not take the result back: {0}", {e.what()});
  }
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
    model_.Load(restored->content.empty()
                    ? sync::Answer()
                    : sync::Answer::FromJson(restored->content, restored->content.size()));
    model_.RestorePosition(restored->ui_position);
    ctx_.writer->SetBase(info_.id, restored->version);
    ctx_.message = TF("Back to saved version {0}.", {std::to_string(restored->restored_from)});
  } catch (const std::exception& e) {
    ctx_.message = TF("Undo failed: {0}", {e.what()});
  }
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::HandleKey(const Key& key) {
  if (reviewing_) return ReviewKey(key);
  // Typed box coordinates: Enter applies them and Escape closes the line, not the task.
  if (info_.editable && model_.FocusCapturesKeys()) {
    FormModel::Result r = model_.HandleKey(key);
    if (r.changed) Changed();
    return {kHandled | kRedraw, nullptr};
  }
  // Enter in a multi-line text is a new line, before the key table sees it.
  if (key.code == KeyCode::kEnter && info_.editable && model_.FocusIsMultiLine()) {
    FormModel::Result r = model_.HandleKey(key);
    if (r.changed) Changed();
    return {kHandled | kRedraw, nullptr};
  }
  // z zooms a box field's picture to the whole screen and back; arrows still move the box.
  if (key.IsChar(U'z') && model_.focused() &&
      model_.focused()->field.type == sync::FieldType::kBoxes) {
    zoomed_ = !zoomed_;
    return {kHandled | kRedraw, nullptr};
  }
  bool in_text = InText();
  if (auto action = keys().Lookup(key, in_text)) {
    switch (*action) {
      case Action::kNextField:
        if (key.code == KeyCode::kEnter &&
            model_.focus() + 1 >= static_cast<int>(model_.fields().size())) {
          ctx_.message = T("That was the last field. Ctrl-R reviews the answer and sends it.");
        }
        model_.NextField();
        return {kHandled | kRedraw, nullptr};
      case Action::kPrevField:
        model_.PrevField();
        return {kHandled | kRedraw, nullptr};
      case Action::kReview:
        if (!info_.editable) return RefuseEdit();
        return Review();
      case Action::kTakeBack:
        if (read_only()) return RefuseEdit();
        return TakeBack();
      case Action::kUndo:
        if (!info_.editable) return {kHandled, nullptr};
        return Undo();
      case Action::kOpenMedia:
        return OpenMedia();
      case Action::kPlay:
        return Play();
      case Action::kStopPlaying:
        return StopPlaying();
      case Action::kHelp:
        return OpenHelp(
            *this, {"", T("Enter is a new line in a long text and the next field elsewhere."),
                    T("Ctrl-R (or F10) shows every answer; Send is there, chosen with Tab."),
                    T("In a field: digits pick an option, Up/Down move, Space ticks,"),
                    T("Left/Right change a scale; boxes: n new, x delete, l label,"),
                    T("[ ] other box, m: move, resize the right/bottom or the left/top edges;"),
                    T("arrows step one pixel; type a number first (or Shift) for more;"),
                    T("= then x y w h and Enter puts the box at exact pixels."),
                    T("z shows the picture and its boxes on the whole screen.")});
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

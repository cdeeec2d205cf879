#include "mano/client/ui/screen_manager.h"

#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "mano/client/ui/autosave.h"
#include "mano/client/ui/background_sync.h"
#include "mano/client/ui/help_screen.h"  // FooterFor
#include "mano/client/ui/resume.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {
namespace {

void Drain(int fd) {
  uint64_t buf;
  while (::read(fd, &buf, sizeof buf) > 0) {
  }
}

}  // namespace

ScreenManager::ScreenManager(UiContext& ctx) : ctx_(ctx) {
  if (ctx_.store && ctx_.clock && !ctx_.read_only) {
    tracker_ = std::make_unique<ledger::WorkTimeTracker>(*ctx_.store, *ctx_.clock);
  }
  if (ctx_.read_only && ctx_.reopen_writable && ctx_.clock) {
    reopen_due_mono_ = ctx_.clock->MonotonicMs() + kReopenMs;
  }
  LoadStatus();
}

ScreenManager::~ScreenManager() { EndWorkTime(); }

template <class F>
void ScreenManager::Track(F&& f) {
  if (!tracker_) return;
  try {
    f(*tracker_);
  } catch (const std::exception& e) {
    ctx_.message = TF("Could not record the time worked: {0}", {e.what()});
  }
}

void ScreenManager::EndWorkTime() {
  Track([](ledger::WorkTimeTracker& t) { t.OnFocus({}); });
}

void ScreenManager::TrackScreen() {
  // The top screen says, or the nearest under it that does (help over a task: the task).
  ledger::Focus focus;
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    if (auto said = (*it)->WorkFocus()) {
      focus = *said;
      break;
    }
  }
  Track([&](ledger::WorkTimeTracker& t) { t.OnFocus(focus); });
}

void ScreenManager::Push(std::unique_ptr<Screen> screen) {
  stack_.push_back(std::move(screen));
  NoteScreen();
}

bool ScreenManager::DispatchKey(const Key& key) {
  if (key.code == KeyCode::kResize) return true;
  if (key.code == KeyCode::kCtrl && key.ch == U'c') {
    RequestQuit();
    return true;
  }
  if (quit_armed_) {  // any other key: the worker stays
    quit_armed_ = false;
    ctx_.message.clear();
  }
  Screen* screen = top();
  if (!screen) return false;
  Track([](ledger::WorkTimeTracker& t) { t.OnKey(); });
  // A new key replaces the last message (it has been seen).
  bool had_message = !ctx_.message.empty();
  ctx_.message.clear();
  Outcome out = screen->HandleKey(key);
  if (out.flags & kQuit) RequestQuit();
  if (out.flags & kPop) {
    if (stack_.size() > 1) {
      stack_.pop_back();
      top()->Resume();
    } else {
      RequestQuit();
    }
  }
  bool pushed = out.push != nullptr;
  if (pushed) stack_.push_back(std::move(out.push));
  if (pushed || (out.flags & kPop)) LoadStatus();  // e.g. a submit grew the outbox
  NoteScreen();
  return (out.flags & kRedraw) || had_message || !ctx_.message.empty();
}

std::optional<int64_t> ScreenManager::NextTickMs() const {
  std::optional<int64_t> next;
  for (const auto& s : stack_) {
    auto t = s->NextTickMs();
    if (t && (!next || *t < *next)) next = t;
  }
  if (reopen_due_mono_ && (!next || *reopen_due_mono_ < *next)) next = reopen_due_mono_;
  if (saved_mono_) {
    int64_t now = ctx_.clock->MonotonicMs();
    if (auto step = StatusLineNextChangeMs(now - *saved_mono_)) {
      if (!next || now + *step < *next) next = now + *step;
    }
  }
  return next;
}

bool ScreenManager::RunTicks(int64_t now_mono_ms) {
  bool redraw = false;
  for (auto& s : stack_) {
    auto t = s->NextTickMs();
    if (t && *t <= now_mono_ms) redraw |= s->Tick(now_mono_ms);
  }
  if (reopen_due_mono_ && *reopen_due_mono_ <= now_mono_ms) {
    if (ctx_.reopen_writable()) {
      reopen_due_mono_.reset();
      ctx_.read_only = false;
      ctx_.banner.clear();
      if (!tracker_) tracker_ = std::make_unique<ledger::WorkTimeTracker>(*ctx_.store, *ctx_.clock);
      DataChanged();  // screens opened read-only become editable
      ctx_.message = T("There is space again: your changes are saved again.");
      redraw = true;
    } else {
      reopen_due_mono_ = now_mono_ms + kReopenMs;
    }
  }
  if (saved_mono_) redraw = true;  // the "saved N s ago" wording
  return redraw;
}

void ScreenManager::LoadStatus() {
  accounts_.clear();
  syncing_ = false;
  try {
    for (const auto& acc : ctx_.store->ListAccounts()) {
      AccountLine line;
      line.name = acc.name;
      auto state = ctx_.store->GetSyncState(acc.name);
      auto totals = ctx_.store->OutboxStats(acc.name);
      line.last_contact_ms = state.last_contact_ms;
      line.contacted = state.last_contact_ms > 0;
      line.offline_since_ms = state.offline_since_ms;
      line.online = line.contacted && state.offline_since_ms == 0;
      line.server_url = acc.server_url;
      line.token_refused = state.auth_refused_ms != 0;
      line.outbox_items = totals.items;
      line.outbox_bytes = totals.bytes;
      accounts_.push_back(line);
    }
  } catch (const std::exception& e) {
    ctx_.message = TF("Cannot read the local data: {0}", {e.what()});
  }
  if (ctx_.sync) {
    sync::EngineStatus status = ctx_.sync->Snapshot();
    syncing_ = status.running;
    for (const auto& s : status.accounts) {
      for (auto& line : accounts_) {
        if (line.name != s.account) continue;
        // The engine's view is newer than what it has stored so far.
        line.online = s.online;
        line.token_refused = s.auth_refused_ms != 0;
        if (s.last_contact_ms > 0) {
          line.contacted = true;
          line.last_contact_ms = s.last_contact_ms;
        }
        line.outbox_items = s.outbox_items;
        line.outbox_bytes = s.outbox_bytes;
        if (s.last_error) line.sync_problem = SyncProblemMessage(s.account, *s.last_error, 80);
      }
    }
  }
  // A refused token needs a new login: the whole command goes in the message line (the
  // status line has room for its start only), again after each change while it is refused.
  for (const auto& line : accounts_) {
    if (line.token_refused && ctx_.message.empty() && !line.server_url.empty()) {
      // The command on a line of its own, so it is never broken across lines.
      ctx_.message =
          TF("The server refused the token of {0}: ask for a new one, then run:", {line.name}) +
          "\n mano login --server " + line.server_url + " --name " + line.name;
    }
  }
  // The last pass's problem (a refused result, a bad signature...): the status line only
  // says online or offline. Shown once, not again on every screen change; a different problem
  // (or the same one after a pass without any) is shown again.
  std::string problems;
  for (const auto& line : accounts_) {
    if (!line.sync_problem.empty()) problems += line.sync_problem + "\n";
  }
  if (problems.empty()) {
    shown_sync_problems_.clear();
  } else if (problems != shown_sync_problems_ && ctx_.message.empty()) {
    for (const auto& line : accounts_) {
      if (!line.sync_problem.empty()) {
        ctx_.message = line.sync_problem;
        break;
      }
    }
    shown_sync_problems_ = problems;
  }
}

void ScreenManager::DataChanged() {
  LoadStatus();
  for (auto& s : stack_) s->Refresh();
}

void ScreenManager::RequestQuit() {
  if (!quit_armed_ && ctx_.writer) {
    // Write what is typed first: only then is it known whether anything would be lost.
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) (*it)->Leave();
    if (ctx_.writer->failing()) {
      quit_armed_ = true;
      ctx_.message =
          T("Your last changes are NOT SAVED. Ctrl-C again quits and loses them; "
            "any other key stays.");
      return;
    }
  }
  quit_ = true;
}

void ScreenManager::NoteSaved() {
  if (!ctx_.writer) return;
  // "Saved" only once a commit returned: a failed save is the banner, never a time.
  if (auto last = ctx_.writer->last(); last && last->error.empty()) {
    saved_mono_ = ctx_.clock->MonotonicMs();
  }
  for (int64_t id : ctx_.writer->TakeConflicts()) {
    for (auto& s : stack_) {
      if (s->EditedAssignment() == id) s->DraftChangedElsewhere();
    }
  }
}

std::string ScreenManager::Banner() const {
  if (ctx_.writer) {
    if (auto failure = ctx_.writer->last_failure()) {
      if (failure->disk_full) {
        return T("NOT SAVED: disk full — free space; your typing is kept in memory and retried");
      }
      return TF("NOT SAVED: {0} — your typing is kept in memory and retried", {failure->error});
    }
  }
  return ctx_.banner;
}

void ScreenManager::Render(Canvas& canvas) {
  canvas.Clear();
  canvas.SetCursor(0, 0, false);
  int rows = canvas.rows(), cols = canvas.cols();
  Screen* screen = top();
  if (rows < 6 || cols < 20) {
    canvas.Put(0, 0, T("Window too small"), kAttrBold);
    return;
  }
  std::string title = "mano · " + (screen ? screen->Title() : std::string());
  canvas.Bar(0, " " + title, kAttrReverse);
  // A message too long for one line (e.g. a path) takes up to three, above the key line.
  std::vector<std::string> message;
  if (!ctx_.message.empty()) message = WrapText(ctx_.message, cols - 2);
  if (message.size() > 3) message.resize(3);
  int message_rows = std::max<int>(1, static_cast<int>(message.size()));
  // A persistent warning (not saved, read-only) takes up to two rows under the title.
  std::vector<std::string> banner;
  if (std::string text = Banner(); !text.empty()) banner = WrapText(text, cols - 2);
  if (banner.size() > 2) banner.resize(2);
  for (int i = 0; i < static_cast<int>(banner.size()); ++i) {
    canvas.Put(1 + i, 0, PadToWidth(" " + banner[i], cols), kAttrReverse | kAttrBold);
  }
  int body_top = 1 + static_cast<int>(banner.size());
  int body_rows = rows - 2 - body_top - message_rows;
  if (screen) screen->Draw(canvas, body_top, body_rows);
  for (int i = 0; i < static_cast<int>(message.size()); ++i) {
    canvas.Put(rows - 2 - message_rows + i, 0, PadToWidth(" " + message[i], cols), kAttrBold);
  }
  if (screen) {
    canvas.Put(rows - 2, 0, FitToWidth(" " + FooterFor(screen->keys(), screen->InText()), cols));
  }
  std::optional<int64_t> age;
  if (saved_mono_) age = ctx_.clock->MonotonicMs() - *saved_mono_;
  bool unsaved = ctx_.writer && ctx_.writer->failing();
  canvas.Put(rows - 1, 0,
             BuildStatusLine(accounts_, unsaved ? std::nullopt : age, syncing_, cols, unsaved),
             kAttrReverse);
}

void ScreenManager::NoteScreen() {
  TrackScreen();
  std::string where = "queue";
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    if (auto id = (*it)->EditedAssignment()) {
      where = "task " + std::to_string(*id);
      break;
    }
  }
  if (where != screen_name_) {
    screen_name_ = where;
    if (!ctx_.data_dir.empty()) RememberScreen(ctx_.data_dir, where);
  }
}

void ScreenManager::LeaveAll() {
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) (*it)->Leave();
}

void ScreenManager::Run(Terminal& terminal, const std::function<void()>& after_first_frame) {
  ctx_.terminal = &terminal;
  int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  bool redraw = true;
  bool first_frame = true;
  while (!quit_) {
    if (redraw) {
      Render(terminal.canvas());
      terminal.Present();
      redraw = false;
    }
    if (first_frame) {
      first_frame = false;
      if (after_first_frame) {
        after_first_frame();
        LoadStatus();
        redraw = true;
        continue;
      }
    }
    // Arm the timer for the earliest tick (disarmed when there is none).
    itimerspec spec{};
    if (auto next = NextTickMs()) {
      int64_t wait = std::max<int64_t>(1, *next - ctx_.clock->MonotonicMs());
      spec.it_value.tv_sec = wait / 1000;
      spec.it_value.tv_nsec = (wait % 1000) * 1'000'000;
    }
    ::timerfd_settime(timer, 0, &spec, nullptr);

    std::vector<pollfd> fds = {{terminal.input_fd(), POLLIN, 0}, {timer, POLLIN, 0}};
    if (ctx_.writer) fds.push_back({ctx_.writer->notify_fd(), POLLIN, 0});
    if (ctx_.sync) fds.push_back({ctx_.sync->notify_fd(), POLLIN, 0});
    int n = ::poll(fds.data(), fds.size(), -1);
    if (n < 0 && errno != EINTR) break;
    // On EINTR (SIGWINCH) curses has a KEY_RESIZE waiting: read keys in any case.
    while (auto key = terminal.ReadKey()) {
      if (key->code == KeyCode::kResize) terminal.Resized();
      redraw |= DispatchKey(*key);
      if (quit_) break;
    }
    if (n <= 0) continue;
    if (fds[1].revents & POLLIN) {
      Drain(timer);
      redraw |= RunTicks(ctx_.clock->MonotonicMs());
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      Drain(fds[i].fd);
      if (ctx_.writer && fds[i].fd == ctx_.writer->notify_fd()) {
        NoteSaved();
      } else {
        DataChanged();
      }
      redraw = true;
    }
  }
  ::close(timer);
  LeaveAll();
  EndWorkTime();
  ctx_.terminal = nullptr;
}

}  // namespace mano::client::ui

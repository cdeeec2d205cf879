// ScreenManager: the terminal UI's one input loop. It owns the stack of screens and waits
// in poll() on the terminal, the sync engine's notify fd, the autosave writer's notify fd
// and a timerfd armed for the earliest screen tick (autosave deadline, countdown step,
// "saved N s ago" wording) — so with nothing to do it sleeps: 0 % CPU, nothing redrawn.
// Layout: title bar (row 0), screen body, message line, the current screen's keys, and the
// status line (always visible). Ctrl-C saves and quits from anywhere. A failed save (disk
// full) is a persistent banner under the title and the status line says NOT SAVED instead
// of "saved N s ago"; quitting then asks first (Ctrl-C again quits).
// Work time (the ledger): one WorkTimeTracker told what the worker is on (the task shown,
// help over it included; the queue = searching; the ledger screen = nothing) and of every
// key; it writes focus marks into the work journal (ledger/work_time.h). Quitting marks
// "none". No timer: nothing wakes up while the worker is away.
// DispatchKey/Render are public so tests can drive it without a terminal loop.
// Not thread-safe (UI thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mano/client/ledger/work_time_tracker.h"
#include "mano/client/ui/screen.h"
#include "mano/client/ui/status_line.h"
#include "mano/client/ui/terminal.h"

namespace mano::client::ui {

class ScreenManager {
 public:
  explicit ScreenManager(UiContext& ctx);
  ~ScreenManager();

  void Push(std::unique_ptr<Screen> screen);
  Screen* top() const { return stack_.empty() ? nullptr : stack_.back().get(); }
  size_t depth() const { return stack_.size(); }
  bool quit() const { return quit_; }

  // Handles one key; returns true when a redraw is needed.
  bool DispatchKey(const Key& key);
  // Runs due ticks; returns true when a redraw is needed.
  bool RunTicks(int64_t now_mono_ms);
  std::optional<int64_t> NextTickMs() const;
  // Re-reads the status (accounts, outbox, sync state) and tells screens data changed.
  void DataChanged();
  void NoteSaved();  // the writer finished a save
  void Render(Canvas& canvas);
  // Marks the end of the work time (the UI closing); errors become the message line.
  void EndWorkTime();
  static constexpr int64_t kReopenMs = 5'000;  // a read-only session tries to write again

  // The loop: returns when the worker quits. Leaves every screen (saving) before returning.
  // `after_first_frame` (may be empty) runs once the first screen is on the terminal: work
  // the worker need not wait for (starting the background sync) goes there; it may set
  // ctx.sync and ctx.message, and the status line is read again after it.
  void Run(Terminal& terminal, const std::function<void()>& after_first_frame = {});

 private:
  void LoadStatus();
  void LeaveAll();
  // q, Ctrl-C, Esc on the last screen: saves, and asks first when a save is failing.
  void RequestQuit();
  std::string Banner() const;  // the persistent warning ("" = none)
  void NoteScreen();           // remembers the screen in <data_dir>/ui-screen when it changed
  void TrackScreen();          // tells the tracker which screen is on top
  // Runs a tracker call; a failure (disk full) becomes the message line.
  template <class F>
  void Track(F&& f);

  UiContext& ctx_;
  std::vector<std::unique_ptr<Screen>> stack_;
  std::vector<AccountLine> accounts_;
  bool syncing_ = false;
  std::optional<int64_t> saved_mono_;
  bool quit_ = false;
  bool quit_armed_ = false;  // asked "quit and lose unsaved work?": Ctrl-C again quits
  std::string screen_name_;
  std::unique_ptr<ledger::WorkTimeTracker> tracker_;
  std::optional<int64_t> reopen_due_mono_;  // read-only session: next try to write again
  std::string shown_sync_problems_;         // the sync problems last put on the message line
};

}  // namespace mano::client::ui

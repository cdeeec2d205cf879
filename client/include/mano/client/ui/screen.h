// Screen: one page of the terminal UI (queue, task, help). Screens draw on a Canvas and
// handle keys, htop style: they never run loops of their own; HandleKey returns flags
// (handled, redraw, quit, pop) and optionally a screen to push. The ScreenManager owns the
// one input loop and calls Tick() when a screen's NextTickMs() comes due (autosave,
// countdowns), so nothing is drawn while nothing happens.
// What the manager needs to know of a screen it asks through this interface (WorkFocus,
// EditedAssignment): it never looks at the concrete screen types.
// UiContext is what screens share: the UI thread's Store (reads, submit, undo), the autosave
// writer, the background sync (may be null in tests), the clock and the config.
// Not thread-safe: everything here runs on the UI thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mano/client/config.h"
#include "mano/client/ledger/work_time.h"
#include "mano/client/ui/canvas.h"
#include "mano/client/ui/keys.h"
#include "mano/storage/clock.h"
#include "mano/storage/store.h"

namespace mano::client::ui {

class AutosaveWriter;
class BackgroundSync;
class Terminal;

struct UiContext {
  std::string data_dir;
  Config config;
  storage::Store* store = nullptr;
  AutosaveWriter* writer = nullptr;
  BackgroundSync* sync = nullptr;  // null: no background sync (tests)
  storage::Clock* clock = nullptr;
  std::string message;     // one transient line under the body ("" = none)
  std::string banner;      // a persistent warning under the title, e.g. a read-only session
  bool read_only = false;  // the store cannot be written (disk full at start): no editing
  // Read-only session: tries to open the store writable again (true: done, writer set).
  std::function<bool()> reopen_writable;
  // The terminal the UI runs on (set by ScreenManager::Run; null in tests without one): a
  // text browser borrows it.
  Terminal* terminal = nullptr;
  // Test seam: replaces OpenDetached for the media key (argv, path) -> error or "".
  std::string (*TEST_open)(const std::vector<std::string>&, const std::string&) = nullptr;
};

enum Flags : unsigned {
  kHandled = 1,
  kRedraw = 2,
  kQuit = 4,
  kPop = 8,  // leave this screen
};

class Screen;

struct Outcome {
  unsigned flags = 0;
  std::unique_ptr<Screen> push;  // screen to open on top
};

class Screen {
 public:
  virtual ~Screen() = default;
  virtual std::string Title() const = 0;
  virtual const KeyTable& keys() const = 0;
  // True while a text field has the focus (letters are text, not commands).
  virtual bool InText() const { return false; }
  // Draws the body: rows [top, top + rows) of the canvas.
  virtual void Draw(Canvas& canvas, int top, int rows) = 0;
  virtual Outcome HandleKey(const Key& key) = 0;
  // Stored data changed (a sync pass, a save): reload what the screen shows.
  virtual void Refresh() {}
  // Monotonic ms when the screen next needs Tick(); nullopt = never on its own.
  virtual std::optional<int64_t> NextTickMs() const { return std::nullopt; }
  // Returns true when the screen must be redrawn.
  virtual bool Tick(int64_t /*now_mono_ms*/) { return false; }
  // Called before the screen is closed or the UI quits: write what is pending.
  virtual void Leave() {}
  // Called when the screen becomes the top one again.
  virtual void Resume() { Refresh(); }
  // What the worker is on while this screen is on top, for the work-time ledger: a task,
  // looking for work, or nothing (ledger/work_time.h). nullopt: what the screen under it
  // says (help over a task counts as the task's time); the bottom screen's nullopt: nothing.
  virtual std::optional<ledger::Focus> WorkFocus() const { return std::nullopt; }
  // The assignment whose draft this screen edits, if any: the UI reopens it after a restart
  // and tells it when another writer changed that draft (DraftChangedElsewhere).
  virtual std::optional<int64_t> EditedAssignment() const { return std::nullopt; }
  // Another writer (the CLI, another window) changed the draft of EditedAssignment().
  virtual void DraftChangedElsewhere() {}
};

}  // namespace mano::client::ui

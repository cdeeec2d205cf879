#include "mano/client/ui/terminal_ui.h"

#include <iostream>

#include "mano/client/open_notice.h"
#include "mano/client/ui/autosave.h"
#include "mano/client/ui/background_sync.h"
#include "mano/client/ui/queue_screen.h"
#include "mano/client/ui/resume.h"
#include "mano/client/ui/screen_manager.h"
#include "mano/client/ui/task_screen.h"
#include "mano/client/ui/terminal.h"
#include "mano/client/ui/ui_text.h"

namespace mano::client::ui {

int RunTerminalUi(const UiOptions& options) {
  InitUiText(options.language, options.locale_dir);
  // The system clock (a test names a file to drive it: storage::DefaultClock).
  const std::shared_ptr<storage::Clock> clock = storage::DefaultClock();
  std::optional<storage::Store> store;
  std::unique_ptr<AutosaveWriter> writer;
  std::unique_ptr<BackgroundSync> sync;
  bool read_only = false;
  try {
    try {
      store.emplace(storage::Store::Open(options.data_dir));
      writer = std::make_unique<AutosaveWriter>(options.data_dir);
    } catch (const storage::StoreError& e) {
      // A full disk: the worker can still read her tasks, read-only, under a banner.
      if (e.kind() != storage::StoreError::Kind::kFull) throw;
      writer.reset();
      store.reset();
      storage::OpenOptions ro;
      ro.read_only = true;
      store.emplace(storage::Store::Open(options.data_dir, ro));
      read_only = true;
    }
  } catch (const std::exception& e) {
    std::cerr << "mano: " << TF("Cannot open the local data: {0}", {e.what()}) << "\n";
    return 5;
  }
  UiContext ctx;
  if (read_only) {
    ctx.read_only = true;
    ctx.banner = T("NOT SAVED: disk full — free space; read-only until there is space again");
    // Every few seconds: once both stores open for writing, the session is a normal one.
    ctx.reopen_writable = [&] {
      try {
        storage::Store fresh = storage::Store::Open(options.data_dir);
        auto fresh_writer = std::make_unique<AutosaveWriter>(options.data_dir);
        *store = std::move(fresh);
        writer = std::move(fresh_writer);
      } catch (const std::exception&) {
        // The failed open read the file's header outside SQLite, which drops this process's
        // locks on it: read it through a new connection.
        try {
          storage::OpenOptions ro;
          ro.read_only = true;
          *store = storage::Store::Open(options.data_dir, ro);
        } catch (const std::exception&) {
        }
        return false;
      }
      ctx.writer = writer.get();
      read_only = false;
      if (options.background_sync) {
        try {
          sync = std::make_unique<BackgroundSync>(options.data_dir, options.engine);
          ctx.sync = sync.get();
        } catch (const std::exception&) {
        }
      }
      return true;
    };
  }
  ctx.data_dir = options.data_dir;
  ctx.config = options.config;
  ctx.store = &*store;
  ctx.writer = writer.get();
  ctx.sync = sync.get();
  ctx.clock = clock.get();
  for (const auto& notice : OpenNotices(store->report())) {
    ctx.message += (ctx.message.empty() ? "" : " ") + notice;
  }

  std::unique_ptr<Terminal> terminal;
  try {
    terminal = OpenCursesTerminal();
  } catch (const std::exception& e) {
    std::cerr << "mano: " << T("The terminal UI needs a terminal; see mano --help.") << "\n";
    return 1;
  }
  // Read where the worker was before the new session overwrites it.
  std::string last_screen = RecallScreen(options.data_dir);
  {
    ScreenManager manager(ctx);
    manager.Push(std::make_unique<QueueScreen>(ctx));
    try {
      if (auto resume = FindResumePoint(*store, last_screen)) {
        manager.Push(std::make_unique<TaskScreen>(ctx, resume->assignment, resume->position));
      }
    } catch (const std::exception& e) {
      ctx.message = TF("Could not reopen the last draft: {0}", {e.what()});
    }
    // The sync engine (its own Store, its first pass on another thread) starts once the
    // queue is on the screen: the worker sees their work without waiting for it.
    auto start_sync = [&] {
      if (!options.background_sync || read_only) return;
      try {
        sync = std::make_unique<BackgroundSync>(options.data_dir, options.engine);
        ctx.sync = sync.get();
      } catch (const std::exception& e) {
        ctx.message += (ctx.message.empty() ? "" : " ");
        ctx.message += TF("Background sync is off: {0}", {e.what()});
      }
    };
    manager.Run(*terminal, start_sync);
  }
  // Stop the sync first (its transfer is cut at once, whatever the link does), then write
  // what is pending, and only then give the terminal back: until then curses keeps typed
  // keys from being echoed over the screen.
  if (sync) sync->RequestStop();
  writer.reset();
  sync.reset();
  store.reset();     // closing folds the WAL back (an fsync): also before the terminal
  terminal.reset();  // restore the terminal before anything else is printed
  return 0;
}

}  // namespace mano::client::ui

// The terminal UI's entry point: what `mano` with no command runs.
//
//   mano::client::ui::UiOptions options;
//   options.data_dir = ctx.data_dir;                 // resolved --data-dir / MANO_HOME
//   options.language = language;                     // what InitLanguage() returned
//   options.config = ctx.config;                     // viewer, player, ...
//   options.engine = ctx.EngineOptionsFor(nullptr);  // background sync settings
//   return mano::client::ui::RunTerminalUi(options);
//
// It opens the store, starts the autosave writer and the background sync engine (each on
// its own thread with its own Store), opens the queue, and — if the worker was in the
// middle of a draft when mano last stopped (quit, crash or power cut) — reopens that task at
// the same field and cursor. Returns a process exit code: 0 after a normal quit, 5 when the
// data cannot be opened, 1 when there is no terminal. Errors are one sentence on stderr.
// Call once, from the main thread, after InitLanguage.
#pragma once

#include <string>

#include "mano/client/config.h"
#include "mano/sync/sync_engine.h"

namespace mano::client::ui {

struct UiOptions {
  std::string data_dir;
  std::string language;    // "" = untranslated (InitLanguage's return value)
  std::string locale_dir;  // "" = next to the program
  Config config;
  sync::EngineOptions engine;
  bool background_sync = true;  // false: no engine thread (tests, offline demos)
};

int RunTerminalUi(const UiOptions& options);

}  // namespace mano::client::ui

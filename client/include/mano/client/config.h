// Config: the worker's settings from $XDG_CONFIG_HOME/mano/config.toml (else
// ~/.config/mano/config.toml). Documented keys (docs/CLI.md): language, viewer, player,
// browser, pictures, keep_claimed, kinds, budget_daily_mb, budget_monthly_mb, ca_file,
// allow_insecure_http, asset_task_max_mb, asset_folder_max_mb, disk_reserve_mb.
// Command-line flags take precedence over the file. A missing file is an empty config; a
// bad line or a value of the wrong type is a ConfigError naming the file and line.
// Unknown top-level keys are kept as warnings (a newer mano may know them); keys inside
// [sections] belong to other parts (e.g. [ledger], read by the ledger) and are left alone.
// Thread-safe: pure values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/client/toml.h"

namespace mano::client {

struct Config {
  std::string path;                // the file read ("" when none)
  std::string language;            // "" = from the environment
  std::string viewer;              // command to open images/documents ("" = xdg-open)
  std::string player;              // command to play audio ("" = xdg-open)
  std::string browser;             // command to open web links ("" = $BROWSER, else xdg-open)
  std::string pictures = "auto";   // how pictures are drawn: auto, symbols, sixel, kitty
  int keep_claimed = 0;            // assignments to keep claimed ahead (0 = no prefetch)
  std::vector<std::string> kinds;  // kinds to claim by default (empty = any)
  int64_t budget_daily_mb = 0;     // 0 = no limit
  int64_t budget_monthly_mb = 0;
  // Disk room for prefetched assets (mano/sync/asset_limits.h); 0 = no cap / no reserve.
  int64_t asset_task_max_mb = 256;     // all the assets of one task
  int64_t asset_folder_max_mb = 2048;  // the whole asset folder
  int64_t disk_reserve_mb = 100;       // free disk space prefetch never takes
  std::string ca_file;                 // extra CA bundle for https servers
  bool allow_insecure_http = false;    // plain http to a non-loopback server
  // [ledger] idle_minutes: no input for longer than this is idle time (left out of the wage).
  int64_t idle_minutes = 10;
  std::vector<std::string> warnings;  // one sentence each (unknown keys)
};

// $XDG_CONFIG_HOME/mano/config.toml, else $HOME/.config/mano/config.toml.
std::string DefaultConfigPath();

// Parses config text; `source` names it in errors. Throws ConfigError.
Config ParseConfig(const std::string& text, const std::string& source);

// Reads `path` (DefaultConfigPath() when empty). A missing file gives a default Config.
// Throws ConfigError when the file exists but cannot be read or parsed.
Config LoadConfig(const std::string& path = {});

}  // namespace mano::client

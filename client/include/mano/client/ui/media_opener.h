// Opening a task's cached media file with the worker's viewer or player: the command from
// the config (`viewer` for images and documents, `player` for audio and video) or
// `xdg-open`. The command is split into words here and run with fork/exec — never through
// a shell — and the file path is passed as one argument, so a hostile file name or task
// text cannot run anything. The child is detached (double fork) and its output discarded so
// it cannot scribble over the terminal UI. Thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "mano/client/config.h"

namespace mano::client::ui {

// Splits a command on spaces and tabs; single and double quotes group words (no escapes,
// no variables, no globbing).
std::vector<std::string> SplitCommand(const std::string& command);

// The command for a media type ("audio/wav" -> player, else viewer), xdg-open by default.
std::vector<std::string> MediaCommand(const Config& config, const std::string& media_type);

// Starts `command` + `path`. Returns "" on success or one sentence saying what failed
// (the program missing is only known to the detached child, which exits 127).
std::string OpenDetached(const std::vector<std::string>& command, const std::string& path);

}  // namespace mano::client::ui

// Opening a task's cached media file with the worker's viewer or player (the command from
// the config: `viewer` for images and documents, `player` for audio and video; else
// `xdg-open`), or a task's web link with `xdg-open`. The command is split into words here and run
// with fork/exec — never through a shell — and the file path is passed as one argument, so a
// hostile file name or task text cannot run anything. The child is detached (double fork) and its
// output discarded so it cannot scribble over the terminal UI. Whether it started is checked, not
// assumed: a failed exec reports its errno through a close-on-exec pipe, and an opener that gives
// up within half a second reports its exit status the same way. Thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "mano/client/config.h"

namespace mano::client::ui {

// Splits a command on spaces and tabs; single and double quotes group words (no escapes,
// no variables, no globbing).
std::vector<std::string> SplitCommand(const std::string& command);

// The command for a media type ("audio/wav" -> player, else viewer). With no player set,
// audio and video go to the first of pw-play, paplay, aplay, ffplay, mpv found on PATH
// (empty when none is); with no viewer set, images and documents go to xdg-open.
std::vector<std::string> MediaCommand(const Config& config, const std::string& media_type);
// The default player among the programs in the colon-separated `path` ({} when none).
std::vector<std::string> DefaultPlayer(const std::string& path);

// The command for a task's web link: the config's `browser`; else $BROWSER (its first entry
// when it is a colon-separated list); else xdg-open when there is a graphical display
// (DISPLAY or WAYLAND_DISPLAY); else the first text browser on PATH (w3m, lynx, elinks);
// else empty: nothing here can show it.
std::vector<std::string> LinkCommand(const Config& config);
// The same with the environment given (tests): `browser_env` may be null; `path` is PATH.
std::vector<std::string> LinkCommandFor(const Config& config, const char* browser_env,
                                        bool has_display, const std::string& path = {});

// True when `program` (a name or a path) is a browser that runs inside the terminal: w3m,
// lynx, elinks, links, links2, browsh. Those run in the foreground (RunInTerminal).
bool IsTextBrowser(const std::string& program);

// Runs `command` + `argument` on the terminal in the foreground and waits for it: the caller
// has ended curses first (Terminal::Suspend) and restores it after. The program gets its own
// process group, made the terminal's foreground group while it runs (so Ctrl-C and Ctrl-Z
// reach it, not mano), and the terminal is taken back when it ends. Returns "" when it ran
// and ended well, else one translated sentence (not installed, cannot be started, exit status).
std::string RunInTerminal(const std::vector<std::string>& command, const std::string& argument);

// True for http:// and https:// links, the only ones `o` opens (a task's text never reaches
// the opener as an option or a local file).
bool IsWebLink(const std::string& text);

// Starts `command` + `path` detached and waits up to half a second to see it start. Returns
// "" when it runs (or ended well), else one translated sentence for the worker: the program
// is not installed, cannot be started, or gave up (with its exit status).
std::string OpenDetached(const std::vector<std::string>& command, const std::string& path);

}  // namespace mano::client::ui

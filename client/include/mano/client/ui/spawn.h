// SpawnReporting: the one way the UI starts a program it waits for (the audio player, a text
// browser): fork, then exec of `command` + one last argument with execvp (never a shell, so
// the argument is one word whatever it holds), and whether the exec worked told back through
// a close-on-exec pipe, so "not installed" is known before the caller says anything.
// `in_child` runs in the child between fork and exec; it may call only async-signal-safe
// functions (the UI has other threads). Thread-safe.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace mano::client::ui {

// Returns the child's pid once it has exec'd (exec_error = 0), or -1: fork or pipe failed
// (exec_error = 0), or the exec failed (exec_error = its errno; the child has been reaped).
pid_t SpawnReporting(const std::vector<std::string>& command, const std::string& last,
                     const std::function<void()>& in_child, int& exec_error);

}  // namespace mano::client::ui

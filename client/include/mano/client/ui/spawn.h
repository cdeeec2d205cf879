// Spawning the programs the UI starts (the audio player, a text browser, a file opener): fork,
// then exec of `command` + one last argument with execvp (never a shell, so the argument is one
// word whatever it holds), and what became of the exec told back through a close-on-exec pipe,
// so "not installed" is known before the caller says anything.
//
// The child side (`in_child`, the body given to ForkReporting) runs between fork and exec in a
// copy of a threaded process: it may call only async-signal-safe functions (no allocation);
// everything it needs (the argv) is built before the fork. Thread-safe.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace mano::client::ui {

// What a child writes into the report pipe: `what` (a letter the caller chooses; 'E' is
// ExecOrReport's failed exec) then `value` in decimal. Async-signal-safe.
void WriteReport(int fd, char what, int value);

// execvp(argv[0], argv); when that fails, reports 'E' + errno on `report` and _exits with 127.
[[noreturn]] void ExecOrReport(char* const* argv, int report);

// Points the caller's stdin, stdout and stderr at /dev/null. Async-signal-safe.
void StdioToDevNull();

// Forks a child that runs `child(argv, report)`, which must end the child (ExecOrReport or
// _exit); `argv` is `command` + `last`, `report` the pipe's write end (it closes at a successful
// exec and at the exit of every process holding it). Returns the child's pid once the pipe has
// closed, with all that was written into it in `heard`; -1 when `command` is empty or pipe or
// fork failed. The caller reaps the child.
pid_t ForkReporting(const std::vector<std::string>& command, const std::string& last,
                    const std::function<void(char* const* argv, int report)>& child,
                    std::string& heard);

// The one way the UI starts a program it waits for: returns the child's pid once it has exec'd
// (exec_error = 0), or -1: fork or pipe failed (exec_error = 0), or the exec failed
// (exec_error = its errno; the child has been reaped). `in_child` runs before the exec.
pid_t SpawnReporting(const std::vector<std::string>& command, const std::string& last,
                     const std::function<void()>& in_child, int& exec_error);

}  // namespace mano::client::ui

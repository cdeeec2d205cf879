// ClipPlayer: plays one audio clip with the worker's player program while the task screen
// stays in charge. The player is started with fork/exec (never a shell; the file is one
// argument) in a process group of its own, with stdin, stdout and stderr on /dev/null so it
// can neither read the worker's keys nor write over the curses screen, and with a parent-death
// signal so a mano killed outright does not leave it playing. Stop() ends the whole group
// (SIGTERM, SIGKILL after half a second) and reaps it, so no player process outlives the task
// screen; the destructor stops too. Whether the player ended is asked with Poll(), which never
// blocks (the screen asks once per second while it plays; nothing runs when nothing plays).
// Results are sentences for the worker, translated. Not thread-safe (UI thread).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mano::client::ui {

class ClipPlayer {
 public:
  ClipPlayer() = default;
  ~ClipPlayer();
  ClipPlayer(const ClipPlayer&) = delete;
  ClipPlayer& operator=(const ClipPlayer&) = delete;

  // Stops what plays, then starts `command` + `path`. Returns "" when the player started,
  // else one sentence (not installed, cannot be started).
  std::string Start(const std::vector<std::string>& command, const std::string& path,
                    int64_t now_mono_ms);
  // Ends the player's process group and reaps it; nothing when nothing plays.
  void Stop();
  // Never blocks. nullopt: still playing (or nothing plays). Otherwise the player has just
  // ended: "" when it ended well, else one sentence with its exit status or signal.
  std::optional<std::string> Poll();

  bool playing() const { return pid_ > 0; }
  int64_t started_mono_ms() const { return started_mono_ms_; }
  const std::string& program() const { return program_; }
  const std::string& path() const { return path_; }
  pid_t pid() const { return pid_; }  // also the process group's id; 0 when nothing plays

 private:
  pid_t pid_ = 0;
  int64_t started_mono_ms_ = 0;
  std::string program_;
  std::string path_;
};

}  // namespace mano::client::ui

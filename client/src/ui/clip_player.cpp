#include "mano/client/ui/clip_player.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "mano/client/ui/spawn.h"
#include "mano/client/ui/ui_text.h"

namespace mano::client::ui {

ClipPlayer::~ClipPlayer() { Stop(); }

std::string ClipPlayer::Start(const std::vector<std::string>& command, const std::string& path,
                              int64_t now_mono_ms) {
  Stop();
  if (command.empty()) return T("There is no program to open it with.");
  pid_t parent = ::getpid();
  int error = 0;
  pid_t child = SpawnReporting(
      command, path,
      [parent] {
        ::setpgid(0, 0);  // a group of its own: Stop() ends whatever the player starts
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);  // mano died before the line above
        StdioToDevNull();
      },
      error);
  const std::string& program = command.front();
  if (error == ENOENT) return TF("{0} is not installed; set player in config.toml.", {program});
  if (error != 0) return TF("{0} cannot be started: {1}.", {program, std::strerror(error)});
  if (child < 0) return T("Cannot start a process.");
  pid_ = child;
  started_mono_ms_ = now_mono_ms;
  program_ = program;
  path_ = path;
  return "";
}

void ClipPlayer::Stop() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  // A player that ignores SIGTERM gets SIGKILL after half a second. WNOWAIT keeps the
  // leader a zombie (its group id taken) until the rest of its group is killed too.
  for (int waited = 0; waited < 500; waited += 10) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      break;
    }
    ::usleep(10'000);
  }
  ::kill(-pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = 0;
}

std::optional<std::string> ClipPlayer::Poll() {
  if (pid_ <= 0) return std::nullopt;
  // WNOWAIT: the leader stays a zombie, so its group id cannot be reused while the rest of
  // the group is ended.
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
      info.si_pid != pid_) {
    return std::nullopt;
  }
  ::kill(-pid_, SIGKILL);  // what the player left behind in its group
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = 0;
  if (info.si_code == CLD_EXITED) {
    if (info.si_status == 0) return std::string();
    return TF("{0} stopped with exit status {1}: the clip could not be played.",
              {program_, std::to_string(info.si_status)});
  }
  return TF("{0} was ended by signal {1}: the clip could not be played.",
            {program_, std::to_string(info.si_status)});
}

}  // namespace mano::client::ui

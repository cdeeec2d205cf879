#include "mano/client/ui/spawn.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace mano::client::ui {

pid_t SpawnReporting(const std::vector<std::string>& command, const std::string& last,
                     const std::function<void()>& in_child, int& exec_error) {
  exec_error = 0;
  if (command.empty()) return -1;
  std::vector<std::string> args = command;
  args.push_back(last);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return -1;
  pid_t child = ::fork();
  if (child < 0) {
    ::close(report[0]);
    ::close(report[1]);
    return -1;
  }
  if (child == 0) {
    if (in_child) in_child();
    ::execvp(argv[0], argv.data());
    int error = errno;
    (void)!::write(report[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(report[1]);
  int error = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &error, sizeof error);  // 0: the pipe closed on a successful exec
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof error)) {
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    exec_error = error;
    return -1;
  }
  return child;
}

}  // namespace mano::client::ui

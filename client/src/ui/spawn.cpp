#include "mano/client/ui/spawn.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace mano::client::ui {

void WriteReport(int fd, char what, int value) {
  // By hand: snprintf is not async-signal-safe.
  char buf[16];
  char digits[12];
  int n = 0;
  unsigned magnitude = value < 0 ? 0u - static_cast<unsigned>(value) : static_cast<unsigned>(value);
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  size_t len = 0;
  buf[len++] = what;
  if (value < 0) buf[len++] = '-';
  while (n > 0) buf[len++] = digits[--n];
  (void)!::write(fd, buf, len);
}

void ExecOrReport(char* const* argv, int report) {
  ::execvp(argv[0], argv);
  WriteReport(report, 'E', errno);  // the pipe closes on a successful exec
  ::_exit(127);
}

void StdioToDevNull() {
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull < 0) return;
  ::dup2(devnull, 0);
  ::dup2(devnull, 1);
  ::dup2(devnull, 2);
  if (devnull > 2) ::close(devnull);
}

pid_t ForkReporting(const std::vector<std::string>& command, const std::string& last,
                    const std::function<void(char* const* argv, int report)>& child,
                    std::string& heard) {
  heard.clear();
  if (command.empty()) return -1;
  std::vector<std::string> args = command;
  args.push_back(last);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return -1;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(report[0]);
    ::close(report[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(report[0]);
    child(argv.data(), report[1]);
    ::_exit(127);  // a body that forgot to end the child
  }
  ::close(report[1]);
  char buf[32];
  for (;;) {
    ssize_t n = ::read(report[0], buf, sizeof buf);
    if (n > 0) {
      heard.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(report[0]);
  return pid;
}

pid_t SpawnReporting(const std::vector<std::string>& command, const std::string& last,
                     const std::function<void()>& in_child, int& exec_error) {
  exec_error = 0;
  std::string heard;
  pid_t child = ForkReporting(
      command, last,
      [&in_child](char* const* argv, int report) {
        if (in_child) in_child();
        ExecOrReport(argv, report);
      },
      heard);
  if (child < 0 || heard.empty() || heard[0] != 'E') return child;
  while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
  }
  exec_error = std::atoi(heard.c_str() + 1);
  return -1;
}

}  // namespace mano::client::ui

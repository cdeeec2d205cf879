#include "mano/client/ui/task_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace mano::client::ui {

TaskLock::TaskLock(const std::string& data_dir, int64_t assignment_id) {
  std::string folder = data_dir + "/open-tasks";
  ::mkdir(folder.c_str(), 0700);
  std::string path = folder + "/" + std::to_string(assignment_id);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
      [[maybe_unused]] auto n = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    fd_ = fd;
    return;
  }
  taken_ = errno == EWOULDBLOCK;
  char buf[32] = {};
  if (::pread(fd, buf, sizeof buf - 1, 0) > 0) holder_ = static_cast<pid_t>(std::atol(buf));
  ::close(fd);
  // Our own lock (a second screen on the task in this process) is no other window.
  if (holder_ == ::getpid()) taken_ = false;
}

TaskLock::~TaskLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace mano::client::ui

#include "mano/sync/transfer_cancel.h"

#include <sys/socket.h>
#include <unistd.h>

namespace mano::sync {

void TransferCancel::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_.store(true);
  for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
}

int TransferCancel::Open(int domain, int type, int protocol) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_.load()) return -1;
  int fd = ::socket(domain, type | SOCK_CLOEXEC, protocol);
  if (fd >= 0) open_.insert(fd);
  return fd;
}

int TransferCancel::Close(int fd) {
  std::lock_guard<std::mutex> lock(mutex_);
  open_.erase(fd);
  return ::close(fd);
}

}  // namespace mano::sync

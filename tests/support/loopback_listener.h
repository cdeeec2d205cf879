// LoopbackListener: the one raw listening socket of the tests. A TCP socket bound to
// 127.0.0.1 on a free port the kernel picks (so parallel tests never collide), listening;
// owned: the destructor closes it. The fake peers built on it (flakynet's LoopbackServer,
// sync's RawHttpPeer) add their own serving loops; the socket calls live here.
//
//   mano::test::LoopbackListener listener;   // throws std::runtime_error on failure
//   uint16_t port = listener.port();
//   int fd = listener.Accept();              // blocking; -1 once Shutdown() ran or on error
//
// Thread safety: Accept() on one thread, Shutdown() from another (it wakes the accept).
// Header-only, POSIX only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <stdexcept>

namespace mano::test {

class LoopbackListener {
 public:
  explicit LoopbackListener(int backlog = 64)
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error("LoopbackListener: socket failed");
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, backlog) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd_);
      throw std::runtime_error("LoopbackListener: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~LoopbackListener() { ::close(fd_); }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  uint16_t port() const { return port_; }
  int fd() const { return fd_; }

  // The next connection (close-on-exec; the caller owns it), or -1 after Shutdown().
  int Accept() {
    for (;;) {
      int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0 || errno != EINTR) return fd;
    }
  }
  // Wakes a blocked Accept() and makes every later one fail.
  void Shutdown() { ::shutdown(fd_, SHUT_RDWR); }

 private:
  int fd_;
  uint16_t port_ = 0;
};

}  // namespace mano::test

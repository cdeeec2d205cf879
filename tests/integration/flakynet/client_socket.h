#pragma once

// ClientSocket: the test's end of a connection through flakynet. A blocking TCP socket
// to 127.0.0.1 with helpers that report how a read ended (data, clean close, ECONNRESET,
// or nothing before a timeout), so tests can tell a reset from a stall. Owns the fd.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace mano::test {

class ClientSocket {
 public:
  // How a ReadUntil() ended.
  struct ReadResult {
    std::string data;
    int error = 0;           // errno of the read that failed (ECONNRESET...), 0 otherwise
    bool closed = false;     // the peer closed cleanly (read returned 0)
    bool timed_out = false;  // nothing more arrived within the wait
  };

  // Connects to 127.0.0.1:port. A non-zero `receive_buffer` fixes SO_RCVBUF (and so turns
  // off the kernel's growing of it), for tests that need the client's buffer to fill.
  explicit ClientSocket(uint16_t port, int receive_buffer = 0)
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("ClientSocket: connect failed");
    }
  }
  ClientSocket(ClientSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;
  ~ClientSocket() {
    if (fd_ >= 0) ::close(fd_);
  }

  int fd() const { return fd_; }

  // Sends everything; returns 0 or the errno of the failing send.
  int SendAll(const std::string& data) {
    for (size_t sent = 0; sent < data.size();) {
      ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      sent += static_cast<size_t>(n);
    }
    return 0;
  }

  // Sends `message` and reads as many bytes back (through an echo server); true if the
  // same bytes came back within 10 s.
  bool RoundTrip(const std::string& message) {
    return SendAll(message) == 0 &&
           ReadUntil(message.size(), std::chrono::seconds(10)).data == message;
  }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // Reads until `want` bytes arrived, the peer closed or failed, or `quiet` passed with no
  // new byte (the wait restarts with each byte that arrives).
  ReadResult ReadUntil(size_t want, std::chrono::milliseconds quiet) {
    ReadResult r;
    char buffer[16384];
    while (r.data.size() < want) {
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, static_cast<int>(quiet.count()));
      if (ready == 0) {
        r.timed_out = true;
        break;
      }
      if (ready < 0) {
        if (errno == EINTR) continue;
        r.error = errno;
        break;
      }
      ssize_t n = ::recv(fd_, buffer, std::min(sizeof buffer, want - r.data.size()), 0);
      if (n == 0) {
        r.closed = true;
        break;
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        r.error = errno;
        break;
      }
      r.data.append(buffer, static_cast<size_t>(n));
    }
    return r;
  }

 private:
  int fd_;
};

}  // namespace mano::test

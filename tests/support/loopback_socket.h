// LoopbackSocket: the one raw client socket of the tests. A blocking TCP connection to
// 127.0.0.1:port (or a unix-domain socket), owned: the destructor closes it. For byte-level
// control that an HTTP library would hide: half a request, a hang-up, a slow reader, a reset
// told apart from a clean close or a stall.
//
//   mano::test::LoopbackSocket s(port);                 // throws std::runtime_error if refused
//   s.Send("GET /v1/health HTTP/1.0\r\n\r\n");
//   std::string reply = s.ReadAll();                    // until the peer closes (or 10 s)
//   auto r = s.ReadUntil(100, std::chrono::seconds(2)); // r.data, r.closed, r.error, r.timed_out
//
// Options: `source` binds the client's address (any of 127/8 on Linux) so a server sees a
// different peer; `receive_buffer` fixes SO_RCVBUF (and so stops the kernel growing it);
// `timeout_s` bounds each blocking recv (SO_RCVTIMEO), 10 s by default.
// Errors: connecting and Send() throw std::runtime_error; SendAll() and ReadUntil() report
// errno values instead, for tests that expect a reset. Header-only, POSIX only.
// Thread safety: one object per thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace mano::test {

class LoopbackSocket {
 public:
  struct Options {
    std::string source;      // client address to bind ("" = the kernel's pick)
    int receive_buffer = 0;  // SO_RCVBUF when > 0
    int timeout_s = 10;      // SO_RCVTIMEO
  };

  // How a ReadUntil() ended.
  struct ReadResult {
    std::string data;
    int error = 0;           // errno of the read that failed (ECONNRESET...), 0 otherwise
    bool closed = false;     // the peer closed cleanly (read returned 0)
    bool timed_out = false;  // nothing more arrived within the wait
  };

  explicit LoopbackSocket(uint16_t port) : LoopbackSocket(port, Options{}) {}
  LoopbackSocket(uint16_t port, const Options& options)
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error("LoopbackSocket: socket failed");
    if (options.receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer,
                   sizeof options.receive_buffer);
    }
    if (!options.source.empty()) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      ::inet_pton(AF_INET, options.source.c_str(), &from.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
        Close();
        throw std::runtime_error("LoopbackSocket: cannot bind to " + options.source);
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      Close();
      throw std::runtime_error("LoopbackSocket: cannot connect to 127.0.0.1:" +
                               std::to_string(port));
    }
    SetTimeout(options.timeout_s, false);
  }

  // A unix-domain stream socket connected to `path`.
  static LoopbackSocket Unix(const std::string& path) {
    LoopbackSocket s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), Adopt{});
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (s.fd_ < 0 || ::connect(s.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("LoopbackSocket: cannot connect to " + path);
    }
    return s;
  }

  LoopbackSocket(LoopbackSocket&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), peer_closed_(other.peer_closed_) {}
  LoopbackSocket& operator=(LoopbackSocket&&) = delete;
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;
  ~LoopbackSocket() { Close(); }

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
  // Sends everything; throws std::runtime_error when the connection fails.
  void Send(const std::string& bytes) {
    if (SendAll(bytes) != 0) throw std::runtime_error("LoopbackSocket: send failed");
  }
  // Sends without throwing; false once the peer has closed.
  bool TrySend(const std::string& bytes) { return SendAll(bytes) == 0; }

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
      // A failed poll reads as a failed recv: both end the read with their errno.
      ssize_t n =
          ready < 0 ? -1 : ::recv(fd_, buffer, std::min(sizeof buffer, want - r.data.size()), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        r.closed = n == 0;
        r.error = n < 0 ? errno : 0;
        break;
      }
      r.data.append(buffer, static_cast<size_t>(n));
    }
    return r;
  }

  // Reads until the peer closes or the receive timeout; returns what came.
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
    peer_closed_ = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    return out;
  }
  // One recv (up to 64 KiB, within the timeout): enough for a small reply on loopback.
  std::string ReadOnce() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
  // Reads one '\n'-terminated line (without it) byte by byte; false on close, error or
  // timeout. For line protocols such as flakynet's control socket.
  bool ReadLine(std::string& line) {
    line.clear();
    char c;
    for (;;) {
      ssize_t n = ::recv(fd_, &c, 1, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      if (c == '\n') return true;
      line += c;
    }
  }
  // After ReadAll: whether the peer closed (or reset) the connection, rather than a timeout.
  bool peer_closed() const { return peer_closed_; }

  // SO_RCVTIMEO (and SO_SNDTIMEO when `send_too`) in seconds.
  void SetTimeout(int seconds, bool send_too = true) {
    timeval tv{seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (send_too) ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  struct Adopt {};
  LoopbackSocket(int fd, Adopt) : fd_(fd) {}

  int fd_ = -1;
  bool peer_closed_ = false;
};

}  // namespace mano::test

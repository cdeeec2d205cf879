#pragma once

// LoopbackServer: the tiny server behind flakynet in its tests. Listens on 127.0.0.1 on a
// free port; one thread per connection, blocking I/O. In kEcho mode it sends back what it
// reads; in kSource mode it sends `source_bytes` of a known pattern on accept, then reads
// and discards until the peer closes. It counts every byte it received and notes how each
// connection ended (clean close or error such as ECONNRESET). The destructor shuts every
// socket down and joins the threads. Thread-safe accessors. The listening socket is
// tests/support/loopback_listener.h.

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loopback_listener.h"

namespace mano::test {

// How long the flakynet tests wait for a byte that must not come: long enough that a stalled
// link would have delivered something if it were not stalled; a pass never depends on the
// machine being fast.
inline constexpr std::chrono::milliseconds kQuiet{300};

// The byte at offset i of the kSource pattern (not periodic on any short length).
inline char PatternByte(uint64_t i) { return static_cast<char>((i * 131 + (i >> 8) * 7) & 0xff); }

class LoopbackServer {
 public:
  enum class Mode { kEcho, kSource };

  explicit LoopbackServer(Mode mode, uint64_t source_bytes = 0)
      : mode_(mode), source_bytes_(source_bytes) {
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~LoopbackServer() {
    stopping_ = true;
    listener_.Shutdown();
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : workers_) t.join();
    for (int fd : open_fds_) ::close(fd);
  }

  uint16_t port() const { return listener_.port(); }
  uint64_t bytes_received() const { return received_; }
  uint64_t connections() const { return accepted_; }

  // Waits until `n` connections have ended; returns false on timeout.
  bool WaitForEnded(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return ended_cv_.wait_for(lock, timeout, [&] { return end_errors_.size() >= n; });
  }
  // The errno each ended connection finished with (0 = clean close), in order of ending.
  std::vector<int> end_errors() {
    std::lock_guard lock(mutex_);
    return end_errors_;
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      int fd = listener_.Accept();
      if (fd < 0) return;
      ++accepted_;
      std::lock_guard lock(mutex_);
      open_fds_.push_back(fd);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    int error = 0;
    if (mode_ == Mode::kSource) {
      std::string block;
      for (uint64_t sent = 0; sent < source_bytes_ && error == 0;) {
        block.clear();
        for (uint64_t i = sent; i < source_bytes_ && block.size() < 16384; ++i) {
          block += PatternByte(i);
        }
        ssize_t n = ::send(fd, block.data(), block.size(), MSG_NOSIGNAL);
        if (n <= 0) error = n < 0 ? errno : EPIPE;
        if (n > 0) sent += static_cast<uint64_t>(n);
      }
    }
    char buffer[16384];
    while (error == 0) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        error = errno;
        break;
      }
      received_ += static_cast<uint64_t>(n);
      if (mode_ == Mode::kEcho && ::send(fd, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n) {
        error = errno;
      }
    }
    if (error == 0) ::shutdown(fd, SHUT_WR);  // answer a clean close with one
    std::lock_guard lock(mutex_);
    end_errors_.push_back(error);
    ended_cv_.notify_all();
    // The fd stays open until the destructor, so its number is never reused meanwhile.
  }

  Mode mode_;
  uint64_t source_bytes_;
  LoopbackListener listener_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> received_{0};
  std::atomic<uint64_t> accepted_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::condition_variable ended_cv_;
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
  std::vector<int> end_errors_;
};

}  // namespace mano::test

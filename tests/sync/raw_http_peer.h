// RawHttpPeer: a tiny HTTP/1.1 listener on 127.0.0.1 for transport and engine tests that
// need a HOSTILE or broken peer (truncated replies, HTML pages, zstd bombs, stalls). It is
// not a stand-in for manod: tests of the real protocol run against the real manod.
// Each request (headers + Content-Length body) is handed to the handler, which returns the
// exact bytes to write back and what to do with the connection afterwards.
// Thread safety: the handler runs on the peer's thread; requests()/connections() lock.
// The listening socket is tests/support/loopback_listener.h.
#pragma once

#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loopback_listener.h"

namespace mano::test {

class RawHttpPeer {
 public:
  struct Reply {
    std::string bytes;   // written as is
    bool close = false;  // close the connection after writing
    int stall_ms = 0;    // then stay silent this long (connection open) before closing
    // Write the body (what follows the blank line) this slowly, a byte at a time (0: at once).
    // libcurl counts only body bytes against its low-speed limit.
    int trickle_bytes_per_s = 0;
  };
  using Handler = std::function<Reply(const std::string& request)>;

  explicit RawHttpPeer(Handler handler) : handler_(std::move(handler)), listener_(16) {
    if (pipe(stop_) != 0) stop_[0] = stop_[1] = -1;
    thread_ = std::thread([this] { Run(); });
  }

  ~RawHttpPeer() {
    stopping_ = true;
    if (write(stop_[1], "x", 1) < 0) {
    }
    thread_.join();
    close(stop_[0]);
    close(stop_[1]);
  }

  int port() const { return listener_.port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(listener_.port()); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  int connections() const { return connections_; }
  int64_t bytes_received() const { return bytes_received_; }
  int64_t bytes_sent() const { return bytes_sent_; }

  // "HTTP/1.1 <status>" reply with the given headers and body (Content-Length added).
  static std::string Http(int status, const std::string& headers, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }

 private:
  // Returns false when the peer is stopping or the connection closed.
  bool Wait(int fd, int timeout_ms) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    const int n = poll(fds, 2, timeout_ms);
    return n > 0 && !(fds[1].revents & POLLIN);
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[65536];
    while (!stopping_) {
      size_t end = buffer.find("\r\n\r\n");
      size_t need = 0;
      if (end != std::string::npos) {
        need = end + 4 + ContentLength(buffer.substr(0, end));
      }
      if (end == std::string::npos || buffer.size() < need) {
        if (!Wait(fd, 10'000)) return;
        const ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0) return;
        bytes_received_ += n;
        buffer.append(chunk, static_cast<size_t>(n));
        continue;
      }
      const std::string request = buffer.substr(0, need);
      buffer.erase(0, need);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      const Reply reply = handler_(request);
      size_t off = 0;
      // Counted before sending so a test that reads the count after its reply arrived
      // sees it; corrected if the client went away.
      bytes_sent_ += static_cast<int64_t>(reply.bytes.size());
      const size_t body_at = reply.bytes.find("\r\n\r\n") + 4;
      while (off < reply.bytes.size()) {
        const bool trickle = reply.trickle_bytes_per_s > 0 && off >= body_at;
        const size_t len =
            trickle ? 1 : (reply.trickle_bytes_per_s > 0 ? body_at : reply.bytes.size()) - off;
        if (trickle && off > body_at) {
          pollfd stop{stop_[0], POLLIN, 0};
          if (poll(&stop, 1, 1000 / reply.trickle_bytes_per_s) != 0) return;
        }
        const ssize_t n = send(fd, reply.bytes.data() + off, len, MSG_NOSIGNAL);
        if (n <= 0) {
          bytes_sent_ -= static_cast<int64_t>(reply.bytes.size() - off);
          return;
        }
        off += static_cast<size_t>(n);
      }
      if (reply.stall_ms > 0) {
        pollfd stop{stop_[0], POLLIN, 0};
        poll(&stop, 1, reply.stall_ms);
        return;
      }
      if (reply.close) return;
    }
  }

  static size_t ContentLength(const std::string& head) {
    size_t pos = 0;
    while ((pos = head.find("\r\n", pos)) != std::string::npos) {
      pos += 2;
      if (strncasecmp(head.c_str() + pos, "content-length:", 15) == 0) {
        return std::stoul(head.substr(pos + 15));
      }
    }
    return 0;
  }

  void Run() {
    while (!stopping_) {
      if (!Wait(listener_.fd(), -1)) return;
      const int fd = listener_.Accept();
      if (fd < 0) continue;
      ++connections_;
      Serve(fd);
      close(fd);
    }
  }

  Handler handler_;
  LoopbackListener listener_;
  int stop_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int64_t> bytes_received_{0};
  std::atomic<int64_t> bytes_sent_{0};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace mano::test

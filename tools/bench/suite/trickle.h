// Trickle: many slow clients against one server (a slow-loris load), for the benchmark of
// manod's latency under slow connections. Each connection sends the start of a request
// ("POST /v1/submit HTTP/1.1", Host, then one endless header value) at `bytes_per_second`,
// in 10 slices a second, and never finishes it.
//
// Start() opens every connection (raising RLIMIT_NOFILE to its hard limit first) and runs
// the sender on its own thread until Stop() or the destructor. alive() counts connections
// whose last send did not fail. Thread safety: call Start/Stop/alive from one thread.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace mano::bench {

class Trickle {
 public:
  Trickle(std::string host, int port, int connections, int bytes_per_second);
  ~Trickle();
  Trickle(const Trickle&) = delete;
  Trickle& operator=(const Trickle&) = delete;

  void Start();  // throws std::runtime_error when a connection cannot be opened
  void Stop();
  int opened() const { return static_cast<int>(fds_.size()); }
  int alive() const { return alive_.load(); }

 private:
  void Run();

  std::string host_;
  int port_, connections_, bytes_per_second_;
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<int> alive_{0};
  std::thread thread_;
};

}  // namespace mano::bench

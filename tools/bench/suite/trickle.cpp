#include "trickle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace mano::bench {

Trickle::Trickle(std::string host, int port, int connections, int bytes_per_second)
    : host_(std::move(host)),
      port_(port),
      connections_(connections),
      bytes_per_second_(bytes_per_second) {}

Trickle::~Trickle() { Stop(); }

void Trickle::Start() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
  const std::string head = "POST /v1/submit HTTP/1.1\r\nHost: " + host_ + "\r\nX-Trickle: ";
  for (int i = 0; i < connections_; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed after " + std::to_string(i));
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        send(fd, head.data(), head.size(), MSG_NOSIGNAL) < 0) {
      close(fd);
      throw std::runtime_error("connect failed after " + std::to_string(i) + " connections");
    }
    fds_.push_back(fd);
  }
  alive_ = static_cast<int>(fds_.size());
  thread_ = std::thread([this] { Run(); });
}

void Trickle::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (int fd : fds_) close(fd);
  fds_.clear();
}

void Trickle::Run() {
  const int slice = bytes_per_second_ / 10 > 0 ? bytes_per_second_ / 10 : 1;
  const std::string bytes(static_cast<size_t>(slice), 'a');
  std::vector<bool> ok(fds_.size(), true);
  auto next = std::chrono::steady_clock::now();
  while (!stop_) {
    next += std::chrono::milliseconds(100);
    int alive = 0;
    for (size_t i = 0; i < fds_.size(); ++i) {
      if (!ok[i]) continue;
      ok[i] = send(fds_[i], bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT) > 0;
      alive += ok[i] ? 1 : 0;
    }
    alive_ = alive;
    std::this_thread::sleep_until(next);
  }
}

}  // namespace mano::bench

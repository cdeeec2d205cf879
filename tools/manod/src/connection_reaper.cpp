#include "connection_reaper.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <vector>

namespace mano::manod {

using Clock = std::chrono::steady_clock;

struct ConnectionReaper::Connection {
  enum class Phase { kHeaders, kBody, kAnswering, kReaped };
  int fd = -1;
  Phase phase = Phase::kHeaders;
  Clock::time_point since = Clock::now();
  size_t body_bytes = 0;
  size_t body_bytes_seen = 0;  // body_bytes at the previous sweep
};

namespace {

// True when the client of a connection receiving a body has hung up and the server will
// read nothing more from it: everything that came is read, or nothing was read since the
// previous sweep.
bool HungUpMidBody(int fd, bool stalled) {
  pollfd p{fd, POLLRDHUP, 0};
  if (::poll(&p, 1, 0) != 1 || !(p.revents & (POLLRDHUP | POLLHUP | POLLERR))) return false;
  int unread = 0;
  if (::ioctl(fd, FIONREAD, &unread) != 0) return true;
  return unread == 0 || stalled;
}

}  // namespace

ConnectionReaper::ConnectionReaper(Rules rules) : rules_(rules), thread_([this] { Run(); }) {}

ConnectionReaper::~ConnectionReaper() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

ConnectionReaper::Connection* ConnectionReaper::Opened(int fd) {
  auto owned = std::make_unique<Connection>();
  owned->fd = fd;
  Connection* c = owned.get();
  std::lock_guard<std::mutex> lock(mu_);
  connections_.emplace(c, std::move(owned));
  return c;
}

void ConnectionReaper::Closed(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(c);
}

void ConnectionReaper::HeadersDone(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (c->phase == Connection::Phase::kReaped) return;
  c->phase = Connection::Phase::kBody;
  c->since = Clock::now();
  c->body_bytes = 0;
}

void ConnectionReaper::BodyBytes(Connection* c, size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  c->body_bytes += n;
}

void ConnectionReaper::Answering(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (c->phase != Connection::Phase::kReaped) c->phase = Connection::Phase::kAnswering;
}

void ConnectionReaper::ReplySent(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (c->phase == Connection::Phase::kReaped) return;
  c->phase = Connection::Phase::kHeaders;
  c->since = Clock::now();
}

size_t ConnectionReaper::reaped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reaped_;
}

void ConnectionReaper::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(250));
    if (stopping_) break;
    lock.unlock();
    ReapOnce(Clock::now());
    lock.lock();
  }
}

void ConnectionReaper::ReapOnce(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  // Under mu_: Closed() has not run yet, so each descriptor is still its connection's.
  auto reap = [&](Connection* c) {
    ::shutdown(c->fd, SHUT_RDWR);
    c->phase = Connection::Phase::kReaped;
    ++reaped_;
  };
  size_t open = 0;
  std::vector<Connection*> waiting;  // for headers, longer than pressure_age
  for (auto& [key, c] : connections_) {
    if (c->phase == Connection::Phase::kReaped) continue;
    ++open;
    bool late = false;
    if (c->phase == Connection::Phase::kHeaders) {
      late = now - c->since > rules_.header_timeout;
    } else if (c->phase == Connection::Phase::kBody) {
      if (rules_.body_min_rate > 0) {
        auto allowed =
            rules_.body_grace + std::chrono::seconds(c->body_bytes / rules_.body_min_rate);
        late = now - c->since > allowed;
      }
      late = late || HungUpMidBody(c->fd, c->body_bytes == c->body_bytes_seen);
      c->body_bytes_seen = c->body_bytes;
    }
    if (late) {
      reap(c.get());
      --open;
    } else if (c->phase == Connection::Phase::kHeaders && now - c->since > rules_.pressure_age) {
      waiting.push_back(c.get());
    }
  }
  if (rules_.pressure_connections == 0 || open <= rules_.pressure_connections) return;
  size_t excess = std::min(open - rules_.pressure_connections, waiting.size());
  std::partial_sort(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(excess),
                    waiting.end(),
                    [](const Connection* a, const Connection* b) { return a->since < b->since; });
  for (size_t i = 0; i < excess; ++i) reap(waiting[i]);
}

}  // namespace mano::manod

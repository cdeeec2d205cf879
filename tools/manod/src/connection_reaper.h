// ConnectionReaper: deadlines for slow connections that an idle timer cannot see.
//
// libmicrohttpd's own timeout is reset by every byte, so a client sending one header byte a
// second holds its connection forever. The reaper tracks each connection's phase and when it
// began: waiting for the request line and headers (since the connection opened or the previous
// reply was sent), receiving a body, or being answered. Four times a second a thread shuts down
// (shutdown(2), which makes the server's event loop close it) each connection whose headers
// have not all arrived `header_timeout` after the phase began, and each whose body is behind
// `body_min_rate` bytes/s after `body_grace` (Apache mod_reqtimeout's rule: the grace is
// extended by one second for every `body_min_rate` bytes received). It also shuts down a
// connection whose client hung up in the middle of a body (POLLRDHUP), once the server has
// read what came or stopped reading: libmicrohttpd 0.9.75 does not always notice such a
// hang-up while a body longer than its buffer is in progress, and the bytes a cut tus PATCH
// brought are kept only when its connection closes (http_server.h). Being answered has no
// deadline here (the server's idle timeout covers a client that stops reading).
// Under pressure (more than `pressure_connections` open) it also shuts down, oldest first,
// connections that have waited for headers longer than `pressure_age`, until the count is back
// under the mark: at the connection limit the server stops accepting, and a normal client's
// request, which sends its headers at once, would otherwise queue behind thousands of
// connections that never finish theirs (idle keep-alive connections go first too; their
// clients reconnect).
//
// Thread safety: every method may be called from any thread. Closed() must come before the
// descriptor is closed (libmicrohttpd's NOTIFY_CONNECTION does so), so the reaper never shuts
// down a descriptor that was reused for another connection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace mano::manod {

class ConnectionReaper {
 public:
  struct Rules {
    std::chrono::seconds header_timeout{30};
    size_t body_min_rate = 500;  // bytes per second; 0: no minimum
    std::chrono::seconds body_grace{20};
    size_t pressure_connections = 0;  // 0: never evict under pressure
    std::chrono::seconds pressure_age{2};
  };
  struct Connection;  // opaque, owned by the reaper

  explicit ConnectionReaper(Rules rules);  // starts the thread
  ~ConnectionReaper();                     // stops it
  ConnectionReaper(const ConnectionReaper&) = delete;
  ConnectionReaper& operator=(const ConnectionReaper&) = delete;

  Connection* Opened(int fd);       // waiting for headers from now
  void Closed(Connection* c);       // forgets it; `c` is invalid after
  void HeadersDone(Connection* c);  // receiving the body (possibly empty) from now
  void BodyBytes(Connection* c, size_t n);
  void Answering(Connection* c);  // the body is complete: no deadline while answered
  void ReplySent(Connection* c);  // waiting for the next request's headers from now
  size_t reaped() const;          // connections shut down so far

 private:
  void Run();
  void ReapOnce(std::chrono::steady_clock::time_point now);

  const Rules rules_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  size_t reaped_ = 0;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::thread thread_;
};

}  // namespace mano::manod

#pragma once

// ControlServer: the line-oriented control socket of flakynet. Listens on a Unix socket
// path, or on TCP 127.0.0.1 when the spec is a port number ("0" picks a free port).
// Each line received (up to 4 KiB, "\n" or "\r\n" terminated) is passed to the handler
// and its return value is sent back as one line. Clients may send many commands on one
// connection or one per connection. The Unix socket file is removed on destruction.
//
// Setup errors throw std::system_error / std::invalid_argument. Not thread-safe.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "mano/sync/unique_fd.h"
#include "poller.h"

namespace mano::flakynet {

class ControlServer : public EventHandler {
 public:
  using Handler = std::function<std::string(std::string_view line)>;

  ControlServer(Poller& poller, const std::string& spec, Handler handler);
  ~ControlServer() override;
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // "unix:/path" or "tcp:127.0.0.1:PORT", as printed on flakynet's stdout.
  std::string address() const { return address_; }

  void OnEvent(int fd, uint32_t events) override;

 private:
  struct Client {
    sync::UniqueFd fd;
    std::string in;
    std::string out;
  };

  void Accept();
  void Serve(Client& client);  // answers complete lines; may drop the client
  void Drop(int fd);

  Poller& poller_;
  Handler handler_;
  sync::UniqueFd listener_;
  std::string unix_path_;
  std::string address_;
  std::map<int, std::unique_ptr<Client>> clients_;
};

}  // namespace mano::flakynet

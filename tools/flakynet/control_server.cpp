#include "control_server.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "net.h"

namespace mano::flakynet {
namespace {

constexpr size_t kMaxLine = 4096;

bool IsPort(const std::string& spec) {
  return !spec.empty() && spec.size() <= 5 &&
         std::all_of(spec.begin(), spec.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

ControlServer::ControlServer(Poller& poller, const std::string& spec, Handler handler)
    : poller_(poller), handler_(std::move(handler)) {
  if (IsPort(spec)) {
    listener_ = ListenTcp(ParseEndpoint("127.0.0.1:" + spec));
    address_ = "tcp:" + FormatEndpoint(LocalAddress(listener_.get()));
  } else {
    listener_ = ListenUnix(spec);
    unix_path_ = spec;
    address_ = "unix:" + spec;
  }
  poller_.Watch(listener_.get(), EPOLLIN, this);
}

ControlServer::~ControlServer() {
  for (const auto& [fd, client] : clients_) poller_.Forget(fd);
  poller_.Forget(listener_.get());
  if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
}

void ControlServer::OnEvent(int fd, uint32_t events) {
  if (fd == listener_.get()) {
    Accept();
    return;
  }
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
    char buffer[1024];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      Drop(fd);
      return;
    }
    if (n > 0) client.in.append(buffer, static_cast<size_t>(n));
  }
  Serve(client);
}

void ControlServer::Accept() {
  for (;;) {
    sync::UniqueFd fd = AcceptNonBlocking(listener_.get());
    if (!fd.valid()) return;
    int raw = fd.get();
    poller_.Watch(raw, EPOLLIN, this);
    clients_[raw] = std::make_unique<Client>(Client{std::move(fd), "", ""});
  }
}

void ControlServer::Serve(Client& client) {
  int fd = client.fd.get();
  for (size_t end; (end = client.in.find('\n')) != std::string::npos;) {
    std::string line = client.in.substr(0, end);
    client.in.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    client.out += handler_(line);
    client.out += '\n';
  }
  if (client.in.size() > kMaxLine) {
    Drop(fd);  // not a control client
    return;
  }
  while (!client.out.empty()) {
    ssize_t n = ::send(fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) {
        Drop(fd);
        return;
      }
      break;
    }
    client.out.erase(0, static_cast<size_t>(n));
  }
  poller_.Watch(fd, client.out.empty() ? EPOLLIN : EPOLLIN | EPOLLOUT, this);
}

void ControlServer::Drop(int fd) {
  poller_.Forget(fd);
  clients_.erase(fd);
}

}  // namespace mano::flakynet

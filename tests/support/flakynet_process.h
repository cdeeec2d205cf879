#pragma once

// FlakynetProcess: runs the real `flakynet` fault proxy as a child process for a test.
//
//   mano::test::FlakynetProcess net({"--target", "127.0.0.1:" + std::to_string(server_port),
//                                    "--profile", "3g", "--seed", "7"});
//   connect_client_to(net.port());          // the proxy's listen port on 127.0.0.1
//   net.ControlOk("cut reset");              // cut every open connection now (RST)
//   net.ControlOk("blackout 5000");          // 5 s without a byte crossing
//   net.ControlOk("set cut_after_down 1200");// cut new connections after 1200 bytes down
//   mano::test::FlakynetStats s = net.Stats();  // s.bytes_up, s.bytes_down, s.requests...
//   net.WaitForStats([](const auto& s) { return s.connections >= 3; });
//
// The constructor adds `--listen 127.0.0.1:0` and `--control <unix socket in a fresh
// mkdtemp dir>` unless the arguments already hold them, starts the binary, and returns
// once flakynet printed its `listening HOST:PORT` line (so the port is ready to use).
// The destructor (or Stop()) sends SIGTERM, waits (SIGKILL after 5 s), and removes the
// temp dir. The binary is $MANO_BUILD_DIR/bin/flakynet (ctest sets MANO_BUILD_DIR), or
// `flakynet` beside the test executable, or the path passed in.
//
// Control protocol (one line in, one line out; see tools/flakynet/README.md): ping,
// stats, reset-stats, cut reset|stall|mixed, blackout MS, set KEY VALUE, get,
// profile NAME, schedule [SECONDS [CONNECTIONS]].
//
// Errors (binary missing, no `listening` line within 10 s, control socket failure) throw
// std::runtime_error with a one-sentence message. Header-only; POSIX and the standard
// library only (the process is a ChildProcess, the control connection a LoopbackSocket).
// One object per thread; the methods are not synchronised.

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_process.h"
#include "loopback_socket.h"

namespace mano::test {

// The counters of flakynet's `stats` reply. Bytes are those delivered out of the proxy:
// bytes_up reached the server, bytes_down reached the client.
struct FlakynetStats {
  uint64_t bytes_up = 0;
  uint64_t bytes_down = 0;
  uint64_t connections = 0;  // accepted since the last reset-stats (refused ones included)
  uint64_t active = 0;       // open right now (stalled ones included)
  uint64_t stalled = 0;      // held half-open after a stall cut
  uint64_t requests = 0;     // "HTTP/1.1\r\n" request lines delivered to the server
  uint64_t cuts = 0;         // connections cut (reset or stall)
  uint64_t refused = 0;      // connections reset on arrival during a `refuse` blackout
  uint64_t clock_ms = 0;     // flakynet's clock: ms since it started
  uint64_t since_ms = 0;     // flakynet's clock at the last reset-stats
  uint64_t wakeups = 0;      // event-loop iterations (an idle proxy does not add any)
  bool blackout = false;     // a blackout is on now
  // Requests delivered to the server by "METHOD /path" (e.g. "POST /v1/submit").
  std::map<std::string, uint64_t> paths;
  uint64_t Requests(const std::string& name) const {
    const auto it = paths.find(name);
    return it == paths.end() ? 0 : it->second;
  }
};

class FlakynetProcess {
 public:
  explicit FlakynetProcess(std::vector<std::string> args, std::string binary = DefaultBinary()) {
    char dir_template[] = "/tmp/flakynet-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) Fail("mkdtemp failed");
    dir_ = dir_template;
    if (!Has(args, "--listen")) args.insert(args.end(), {"--listen", "127.0.0.1:0"});
    if (!Has(args, "--control")) {
      control_path_ = dir_ + "/control.sock";
      args.insert(args.end(), {"--control", control_path_});
    }
    Spawn(binary, args);
    ReadBanner();
  }

  // Convenience: a proxy in front of 127.0.0.1:target_port, plus any extra flags.
  static FlakynetProcess ToPort(uint16_t target_port, std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--target", "127.0.0.1:" + std::to_string(target_port)});
    return FlakynetProcess(std::move(extra));
  }

  FlakynetProcess(FlakynetProcess&& other) noexcept
      : child_(std::move(other.child_)),
        port_(other.port_),
        dir_(std::move(other.dir_)),
        control_path_(std::move(other.control_path_)),
        control_tcp_port_(other.control_tcp_port_) {
    other.dir_.clear();
  }
  FlakynetProcess(const FlakynetProcess&) = delete;
  FlakynetProcess& operator=(const FlakynetProcess&) = delete;
  FlakynetProcess& operator=(FlakynetProcess&&) = delete;

  ~FlakynetProcess() {
    Stop();
    if (!dir_.empty()) {
      if (!control_path_.empty()) ::unlink(control_path_.c_str());
      ::rmdir(dir_.c_str());
    }
  }

  // The port flakynet listens on (127.0.0.1).
  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return child_ ? child_->pid() : -1; }
  // The control port when flakynet was given `--control PORT` (TCP), else 0.
  uint16_t control_tcp_port() const { return control_tcp_port_; }

  // Sends one command line, returns the reply line (without the newline).
  std::string Control(const std::string& command) const {
    LoopbackSocket control = ConnectControl();
    if (!control.TrySend(command + "\n")) Fail("could not send to the flakynet control socket");
    std::string reply;
    if (!control.ReadLine(reply)) {
      Fail("no reply from the flakynet control socket to '" + command + "'");
    }
    return reply;
  }

  // Like Control(), but throws unless the reply starts with "ok"; returns the reply.
  std::string ControlOk(const std::string& command) const {
    std::string reply = Control(command);
    if (reply.rfind("ok", 0) != 0) Fail("flakynet refused '" + command + "': " + reply);
    return reply;
  }

  FlakynetStats Stats() const {
    std::string json = Control("stats");
    FlakynetStats s;
    s.bytes_up = Field(json, "bytes_up");
    s.bytes_down = Field(json, "bytes_down");
    s.connections = Field(json, "connections");
    s.active = Field(json, "active");
    s.stalled = Field(json, "stalled");
    s.requests = Field(json, "requests");
    s.cuts = Field(json, "cuts");
    s.refused = Field(json, "refused");
    s.clock_ms = Field(json, "clock_ms");
    s.since_ms = Field(json, "since_ms");
    s.wakeups = Field(json, "wakeups");
    s.blackout = json.find("\"blackout\":true") != std::string::npos;
    // "paths":{"POST /v1/submit":3,...}: names hold no quote (flakynet replaces them).
    const size_t open = json.find("\"paths\":{");
    const size_t close = open == std::string::npos ? open : json.find('}', open);
    for (size_t at = open == std::string::npos ? open : json.find('"', open + 9);
         at != std::string::npos && at < close; at = json.find('"', at)) {
      const size_t end = json.find('"', at + 1);
      if (end == std::string::npos || end > close) break;
      s.paths[json.substr(at + 1, end - at - 1)] = std::stoull(json.substr(end + 2));
      at = json.find_first_of(",}", end);
      if (at == std::string::npos || at >= close) break;
    }
    return s;
  }

  // Polls Stats() every 10 ms until `done(stats)` holds and returns those stats; throws
  // std::runtime_error if it still does not hold after `timeout`. For example
  //   net.WaitForStats([](const FlakynetStats& s) { return s.active == 0; });
  template <typename Predicate>
  FlakynetStats WaitForStats(Predicate done,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    auto give_up = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      FlakynetStats s = Stats();
      if (done(s)) return s;
      if (std::chrono::steady_clock::now() > give_up) {
        Fail("flakynet stats never reached the awaited state");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // SIGTERM, then wait (SIGKILL after 5 s). Returns the exit status (128 + signal when
  // killed), or -1 if not running.
  int Stop() {
    if (!child_ || !child_->running()) return -1;
    return child_->Stop(SIGTERM, std::chrono::seconds(5));
  }

  // $MANO_BUILD_DIR/bin/flakynet, else `flakynet` in the test executable's folder.
  static std::string DefaultBinary() {
    if (const char* build = std::getenv("MANO_BUILD_DIR")) {
      return std::string(build) + "/bin/flakynet";
    }
    char self[4096] = {};
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string path(self, n > 0 ? static_cast<size_t>(n) : 0);
    return path.substr(0, path.rfind('/') + 1) + "flakynet";
  }

  // The value of a numeric field in a flat JSON object (0 if absent).
  static uint64_t Field(const std::string& json, const std::string& key) {
    size_t at = json.find("\"" + key + "\":");
    if (at == std::string::npos) return 0;
    return std::strtoull(json.c_str() + at + key.size() + 3, nullptr, 10);
  }

 private:
  [[noreturn]] static void Fail(const std::string& message) {
    throw std::runtime_error("FlakynetProcess: " + message);
  }

  static bool Has(const std::vector<std::string>& args, const std::string& flag) {
    for (const auto& a : args) {
      if (a == flag || a.rfind(flag + "=", 0) == 0) return true;
    }
    return false;
  }

  void Spawn(const std::string& binary, const std::vector<std::string>& args) {
    if (::access(binary.c_str(), X_OK) != 0) Fail("no flakynet binary at " + binary);
    std::vector<std::string> argv{binary};
    argv.insert(argv.end(), args.begin(), args.end());
    // stderr stays the test's, for the post-mortem of a failing run.
    child_ = std::make_unique<ChildProcess>(
        argv, ChildProcess::Options{.stdout_pipe = true, .keep_stderr = true});
  }

  // Reads stdout until the `listening HOST:PORT` line; notes the control address.
  void ReadBanner() {
    std::string line;
    bool ok = false;
    while (ReadLine(child_->stdout_fd(), line, std::chrono::seconds(10))) {
      if (line.rfind("control unix:", 0) == 0) {
        control_path_ = line.substr(std::strlen("control unix:"));
      } else if (line.rfind("control tcp:", 0) == 0) {
        control_tcp_port_ = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
      } else if (line.rfind("listening ", 0) == 0) {
        port_ = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
        ok = true;
        break;
      }
    }
    child_->CloseStdout();
    if (!ok) {
      Stop();
      Fail("flakynet did not print its listening line (see its stderr)");
    }
  }

  // Reads one '\n'-terminated line byte by byte (tiny replies; keeps no buffer).
  static bool ReadLine(int fd, std::string& line, std::chrono::milliseconds timeout) {
    line.clear();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char c;
      ssize_t n = ::read(fd, &c, 1);
      if (n <= 0) return false;
      if (c == '\n') return true;
      line += c;
    }
  }

  LoopbackSocket ConnectControl() const {
    try {
      if (control_tcp_port_ != 0) return LoopbackSocket(control_tcp_port_);
      if (control_path_.empty()) Fail("no control socket known (pass --control PATH or a port)");
      return LoopbackSocket::Unix(control_path_);
    } catch (const std::runtime_error&) {
      Fail("could not connect to the flakynet control socket");
    }
  }

  std::unique_ptr<ChildProcess> child_;
  uint16_t port_ = 0;
  std::string dir_;
  std::string control_path_;
  uint16_t control_tcp_port_ = 0;
};

}  // namespace mano::test

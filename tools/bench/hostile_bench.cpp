// hostile_bench: a normal client's GET /v1/me latency while thousands of hostile connections
// hold manod (issue 12, item 3), next to a baseline with no hostile load.
//
//   build/bin/hostile_bench [--runs 3] [--hostile 5000] [--addresses 100] [--requests 500]
//                           [--connection-limit 8192]
//   MANO_BUILD_DIR=<another build> build/bin/hostile_bench ...   # that build's manod
//
// Each run starts a fresh `manod serve` (tests/support/manod_process.h finds it at
// $MANO_BUILD_DIR/bin/manod; by default the folder above this program's) and measures three
// scenarios in turn, each with `--requests` sequential GET /v1/me 5 ms apart, every one on a
// new connection from 127.0.0.1 (timed from connect to the last byte of the reply):
//   baseline  no other connection;
//   spread    `--hostile` connections from 127.0.0.2 .. 127.0.0.<addresses+1> (spread so each
//             address stays under the per-address cap), each sending one byte of an endless
//             request line every second (what beats an idle timeout); a connection the server
//             closes is reopened a second later, so the load holds;
//   one-addr  the same number of attempts, all from 127.0.0.2.
// manod runs with its defaults except --connection-limit (8192 unless given, so 5,000 fit at
// all) and a request rate high enough not to throttle the timed client.
// Prints one table row per scenario and metric: median, min and max over the runs.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "bench_main.h"
#include "manod_process.h"

namespace {

using mano::bench::Clock;
using mano::bench::Median;

struct Args {
  int runs = 3;
  int hostile = 5000;
  int addresses = 100;
  int requests = 500;
  int connection_limit = 8192;  // manod's --connection-limit
};

int Connect(uint16_t port, const std::string& source, bool nonblocking) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) return -1;
  // Many sockets bound to one address: let connect() pick the port (no bind-time search), and
  // reset on close rather than leave TIME_WAIT behind to exhaust the ports.
  int one = 1;
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS)) {
    close(fd);
    return -1;
  }
  return fd;
}

// The hostile load: `count` connections, one byte each per second, reopened when closed.
class Hostile {
 public:
  Hostile(uint16_t port, int count, int addresses) : port_(port) {
    for (int i = 0; i < count; ++i) {
      sources_.push_back("127.0.0." + std::to_string(2 + i % addresses));
      fds_.push_back(-1);
    }
    thread_ = std::thread([this] { Run(); });
  }
  ~Hostile() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  int open() const { return open_; }
  long reopened() const { return reopened_; }

 private:
  void Run() {
    bool first = true;
    while (!stop_) {
      int alive = 0;
      for (size_t i = 0; i < fds_.size() && !stop_; ++i) {
        // Counted as held only when it was open a second ago and still is.
        if (fds_[i] >= 0) {
          char buf[512];
          ssize_t got = recv(fds_[i], buf, sizeof buf, MSG_DONTWAIT);
          bool closed = got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
          if (!closed && send(fds_[i], "G", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
              errno != EAGAIN && errno != ENOTCONN) {
            closed = true;
          }
          if (closed) {
            close(fds_[i]);
            fds_[i] = -1;
            ++reopened_;
          } else {
            ++alive;
          }
        }
        if (fds_[i] < 0) fds_[i] = Connect(port_, sources_[i], true);
      }
      open_ = alive;
      if (first) reopened_ = 0;
      first = false;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }

  uint16_t port_;
  std::vector<std::string> sources_;
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0};
  std::atomic<long> reopened_{0};
  std::thread thread_;
};

struct Sample {
  double p50 = 0, p99 = 0, max = 0;
  int failed = 0;
};

// `requests` sequential GET /v1/me, each on a new connection.
Sample TimeRequests(uint16_t port, const std::string& token, int requests) {
  std::vector<double> ms;
  Sample out;
  const std::string request = "GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                              "\r\nConnection: close\r\n\r\n";
  const auto give_up = Clock::now() + std::chrono::seconds(60);
  for (int i = 0; i < requests; ++i) {
    auto t0 = Clock::now();
    if (t0 > give_up) {  // locked out: the rest count as failed
      out.failed += requests - i;
      break;
    }
    int fd = Connect(port, "127.0.0.1", false);
    std::string reply;
    if (fd >= 0) {
      timeval tv{5, 0};  // a request not answered in 5 s counts as failed
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
        char buf[4096];
        ssize_t n;
        while ((n = recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<size_t>(n));
      }
      close(fd);
    }
    if (reply.rfind("HTTP/1.1 200", 0) != 0) {
      ++out.failed;
      continue;
    }
    ms.push_back(mano::bench::SecondsSince(t0) * 1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // spread over several sweeps
  }
  if (ms.empty()) return out;
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, size_t(p * ms.size()))]; };
  out.p50 = pct(0.5);
  out.p99 = pct(0.99);
  out.max = ms.back();
  return out;
}

// The three sweeps, `args.runs` times, and their table on stdout.
int Run(const Args& args) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_max < static_cast<rlim_t>(args.hostile + 100)) {
    std::fprintf(stderr, "hostile_bench: RLIMIT_NOFILE hard limit %llu is too low\n",
                 static_cast<unsigned long long>(lim.rlim_max));
    return 1;
  }

  const char* names[] = {"baseline", "spread", "one-addr"};
  std::vector<double> p50[3], p99[3], failed[3], held[3], reopened[3];
  for (int run = 1; run <= args.runs; ++run) {
    mano::test::ManodProcess::Options o;
    o.imports.clear();
    o.serve_args = {"--connection-limit",
                    std::to_string(args.connection_limit),
                    "--rate",
                    "100000",
                    "--burst",
                    "100000"};
    mano::test::ManodProcess server(o);
    const std::string token = server.Token("alice");
    for (int s = 0; s < 3; ++s) {
      Sample sample;
      int open = 0;
      long again = 0;
      if (s == 0) {
        sample = TimeRequests(server.port(), token, args.requests);
      } else {
        Hostile hostile(server.port(), args.hostile, s == 1 ? args.addresses : 1);
        // Let the load build up: two sweeps at least, until it holds (or 10 s).
        std::this_thread::sleep_for(std::chrono::seconds(2));
        for (int i = 0; i < 8 && hostile.open() < args.hostile * 99 / 100; ++i) {
          std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        sample = TimeRequests(server.port(), token, args.requests);
        open = hostile.open();
        again = hostile.reopened();
      }
      p50[s].push_back(sample.p50);
      p99[s].push_back(sample.p99);
      failed[s].push_back(sample.failed);
      held[s].push_back(open);
      reopened[s].push_back(static_cast<double>(again));
      std::fprintf(stderr, "run %d %-8s p50 %.2f ms p99 %.2f ms failed %d held %d reopened %ld\n",
                   run, names[s], sample.p50, sample.p99, sample.failed, open, again);
      std::this_thread::sleep_for(std::chrono::seconds(1));  // closed sockets drain
    }
  }
  auto row = [&](const char* what, const char* unit, std::vector<double>* v, int digits = 0) {
    std::printf("| %s%s |", what, unit);
    for (int s = 0; s < 3; ++s) {
      auto [lo, hi] = std::minmax_element(v[s].begin(), v[s].end());
      std::printf(" %.*f (%.*f-%.*f) |", digits, Median(v[s]), digits, *lo, digits, *hi);
    }
    std::printf("\n");
  };
  std::printf(
      "| %d runs, %d requests each; median (min-max) | no hostile load | %d hostile "
      "from %d addresses | %d hostile from one address |\n",
      args.runs, args.requests, args.hostile, args.addresses, args.hostile);
  std::printf("|---|---:|---:|---:|\n");
  row("`GET /v1/me` p50", ", ms", p50, 2);
  row("`GET /v1/me` p99", ", ms", p99, 2);
  row("`GET /v1/me` not answered (5 s timeout each; those not started within 60 s count too)", "",
      failed);
  row("hostile connections open at the end of the timing", "", held);
  row("hostile connections the server closed during the run", "", reopened);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  return mano::bench::Main(
      "hostile_bench", argc, argv,
      [&](mano::bench::BenchFlags& flags) {
        flags.Int("--runs", &args.runs)
            .Int("--hostile", &args.hostile)
            .Int("--addresses", &args.addresses)
            .Int("--requests", &args.requests)
            .Int("--connection-limit", &args.connection_limit);
      },
      [&] { return Run(args); });
}

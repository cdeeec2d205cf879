// `manod serve`: opens the database, starts HttpServer with ApiService, waits for SIGTERM or
// SIGINT and stops: in-flight requests get --stop-timeout seconds to finish, then the process
// exits anyway (each submit request is one SQLite transaction, so an abandoned one rolls back).
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "api_service.h"
#include "commands.h"
#include "dict_registry.h"
#include "file_util.h"
#include "http_server.h"
#include "server_store_factory.h"
#include "sqlite_server_store.h"
#include "mano/storage/atomic_file.h"

namespace mano::manod {

namespace {

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// A thousand slow clients need a thousand descriptors: lift the soft limit to the hard one.
void RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// Ends the process if stopping takes longer than `limit`: a handler busy on a long request
// must not keep a stopping server alive. Disarmed by its destructor once the stop is done.
class StopWatchdog {
 public:
  explicit StopWatchdog(std::chrono::seconds limit)
      : thread_([this, limit] {
          std::unique_lock<std::mutex> lock(mu_);
          if (done_cv_.wait_for(lock, limit, [this] { return done_; })) return;
          std::fprintf(stderr, "manod: requests still running after %llds, exiting anyway\n",
                       static_cast<long long>(limit.count()));
          std::fflush(stderr);
          _exit(1);
        }) {}
  ~StopWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

int RunServe(const std::string& db, const ServeArgs& args) {
  // Blocks of 256 KiB and more (request bodies, upload chunks, an uploaded answer's strings and
  // canonical text) get pages of their own, given back when freed. Left to itself, glibc raises
  // this threshold to the size of the largest block freed (up to 32 MiB), after which such
  // blocks stay in malloc's heap: a server that parsed one 60 MiB answer would keep about that
  // much resident (docs/BENCHMARKS.md, "Uploaded answers").
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
  try {
    size_t colon = args.listen.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("--listen wants HOST:PORT");
    std::string host = args.listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    int port = std::stoi(args.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::runtime_error("bad port in --listen");
    bool tls = !args.cert.empty() || !args.key.empty();
    if (tls && (args.cert.empty() || args.key.empty())) {
      throw std::runtime_error("TLS needs both --cert and --key");
    }
    if (!tls && !IsLoopback(host) && !args.insecure_http) {
      throw std::runtime_error(
          "plain HTTP is allowed only on loopback; use --cert/--key, or "
          "--insecure-http if a TLS proxy sits in front");
    }

    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
    if (!args.test_hold_file.empty()) {
      auto* sqlite = dynamic_cast<SqliteServerStore*>(&store);
      if (sqlite == nullptr) throw std::runtime_error("--test-hold-file needs a SQLite database");
      sqlite->TEST_HoldBeforeCommit(args.test_hold_file);
    }
    ServerClock clock(args.test_clock_file);
    ApiService::Limits limits = ApiService::Limits::Defaults();
    if (args.rate > 0) limits.rate_per_second = args.rate;
    if (args.burst > 0) limits.rate_burst = args.burst;
    if (args.max_batch > 0) limits.max_batch = args.max_batch;
    if (args.parse_budget_mib == 0) throw std::runtime_error("--parse-budget must be at least 1");
    limits.max_parse_bytes = args.parse_budget_mib << 20;
    DictRegistry dictionaries(db);
    ApiService api(store, LoadSigner(store), clock, limits, &dictionaries);
    if (args.test_without_sync) api.TEST_WithoutSync();

    HttpServer::Options options = args.http;
    options.host = host;
    options.port = static_cast<uint16_t>(port);
    options.body_budget = args.body_budget_mib << 20;
    if (options.body_budget < std::max(limits.max_json_body, limits.max_patch_body)) {
      // Below the largest body, such requests could never be read.
      throw std::runtime_error("--body-budget must be at least " +
                               std::to_string((limits.max_patch_body + (1u << 20) - 1) >> 20) +
                               " (MiB, the largest request body)");
    }
    if (tls) {
      options.cert_pem = ReadWholeFile(args.cert);
      options.key_pem = ReadWholeFile(args.key);
    }

    // Block the stop signals before MHD starts its threads so only sigwait below sees them.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    signal(SIGPIPE, SIG_IGN);
    RaiseFileLimit();

    auto server = std::make_unique<HttpServer>(
        options, [&](const HttpRequest& r) { return api.Handle(r); },
        [&](const HttpRequest& r) { return api.CheckHeaders(r); },
        [&](const std::string& m, const std::string& p) { return api.BodyLimit(m, p); },
        [&clock](int status, const std::string& message) {
          const char* code = status == 413   ? "too_large"
                             : status == 400 ? "bad_request"
                             : status == 503 ? "unavailable"
                                             : "internal";
          return ApiService::WithTime(ApiService::Error(status, code, message), clock.NowMs());
        },
        [&](const HttpRequest& r) { return api.KeepsPartial(r); });
    std::fprintf(stderr, "manod: listening on %s://%s:%u\n", tls ? "https" : "http", host.c_str(),
                 server->port());
    if (!args.port_file.empty()) {
      // Written atomically, so a reader never sees half a number.
      if (!storage::WriteFileAtomically(args.port_file, std::to_string(server->port()) + "\n",
                                        0644))
        std::fprintf(stderr, "manod: cannot write %s: %s\n", args.port_file.c_str(),
                     std::strerror(errno));
    }
    int sig = 0;
    sigwait(&stop, &sig);
    std::fprintf(stderr, "manod: signal %d, stopping\n", sig);
    StopWatchdog watchdog(std::chrono::seconds(args.stop_timeout_seconds));
    server.reset();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "manod: %s\n", e.what());
    return 1;
  }
}

}  // namespace mano::manod

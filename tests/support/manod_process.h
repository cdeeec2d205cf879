// ManodProcess: a real `manod` server in a private temp directory, for integration tests.
//
// Header-only, POSIX only, no dependency beyond the C++ library. It finds the program at
// $MANO_BUILD_DIR/bin/manod (ctest sets MANO_BUILD_DIR for every test) and, by default, the
// sample tasks at $MANO_SOURCE_DIR/tools/manod/samples/tasks.jsonl.
//
//   mano::test::ManodProcess server;              // init, workers "alice" and "bob", samples,
//   serve std::string url = server.url();               // "http://127.0.0.1:<port>" std::string
//   token = server.Token("alice");    // bearer token captured from `worker add` server.Kill();
//   server.Start();               // SIGKILL, then restart on the same port
//   server.AdvanceClock(3600000);                 // server time +1 h, no sleeping
//
// What the constructor does (each step throws std::runtime_error with manod's output on
// failure): mkdtemp a directory under $TMPDIR (or /tmp); `manod init --db <dir>/manod.db`;
// `manod worker add` for each name in Options::workers (the token is the last stdout line);
// `manod import` of each file in Options::imports (a .csv with its template, see Import);
// `manod serve --listen 127.0.0.1:0 --port-file ... --test-clock-file ...` with the
// extra Options::serve_args, waiting until the port file appears and GET /v1/health answers
// 200 (up to 10 s). The port chosen on the first start is reused on every restart, so URLs
// stay valid across Kill()/Start() (manod listens with SO_REUSEADDR). With "--cert"/"--key" in
// serve_args the server speaks TLS, url() says https, and readiness is a TCP connect.
//
// With MANO_TEST_DB=postgres the database is a fresh one on the test process's private
// PostgreSQL (postgres_process.h) instead of <dir>/manod.db, and db() is its URL.
//
// Server stderr (one line per request) goes to <dir>/manod.log; Log() reads it.
// The destructor stops the server with SIGTERM (SIGKILL after 5 s) and removes the directory,
// unless MANO_KEEP_TMP=1 is set (then the path is printed for post-mortems).
// Thread safety: none; use from the test's thread.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "file_bytes.h"
#include "loopback_socket.h"
#include "postgres_process.h"
#include "temp_dir.h"

namespace mano::test {

class ManodProcess {
 public:
  struct Options {
    std::vector<std::string> workers = {"alice", "bob"};
    // Files to import before serving; empty string entries are ignored. By default the
    // project's sample tasks. A pair "<file.csv>|<template.json>" imports a CSV.
    std::vector<std::string> imports = {DefaultSamples()};
    std::vector<std::string> serve_args;  // e.g. {"--rate", "2", "--burst", "3"}
    bool start = true;                    // false: prepare only; call Start() later
    // A database to serve instead of a new one (e.g. a PostgreSQL URL another ManodProcess
    // serves too); with `init` false it is not initialised again.
    std::string db;
    bool init = true;
  };

  // The default options, importing the tasks file `tasks` instead of the samples.
  static Options Importing(const std::string& tasks) {
    Options o;
    o.imports = {tasks};
    return o;
  }
  // The first of several processes serving one database (`db`; "" = a new one): workers
  // w0..w{workers-1}, no tasks, `rate` requests a second per worker (and as the burst), 4
  // event loops; prepared, not started (import, then Start()).
  static Options FirstOfSeveral(const std::string& db, int workers, const std::string& rate) {
    Options o;
    o.db = db;
    o.imports.clear();
    o.workers.clear();
    for (int w = 0; w < workers; ++w) o.workers.push_back("w" + std::to_string(w));
    o.serve_args = {"--rate", rate, "--burst", rate, "--threads", "4"};
    o.start = false;
    return o;
  }
  // Another process serving this one's database as it is (no init, no workers added), with
  // its settings; started.
  Options Joining() const {
    Options o = options_;
    o.db = db_;
    o.init = false;
    o.workers.clear();
    o.imports.clear();
    o.start = true;
    return o;
  }

  ManodProcess() : ManodProcess(Options()) {}
  explicit ManodProcess(Options options) : options_(std::move(options)) {
    dir_ = temp_.path();
    if (!options_.db.empty()) {
      db_ = options_.db;
    } else {
      db_ = PostgresProcess::UseForManod() ? PostgresProcess::Shared().CreateDatabase()
                                           : dir_ + "/manod.db";
    }
    if (options_.init) Expect(Run({"init", "--db", db()}), "init");
    for (const auto& name : options_.workers) AddWorker(name);
    for (const auto& file : options_.imports) {
      if (file.empty()) continue;
      size_t bar = file.find('|');
      if (bar == std::string::npos) {
        Import(file);
      } else {
        Import(file.substr(0, bar), file.substr(bar + 1));
      }
    }
    if (options_.start) Start();
  }

  ~ManodProcess() {
    try {
      Stop();
    } catch (...) {
    }
  }
  ManodProcess(const ManodProcess&) = delete;
  ManodProcess& operator=(const ManodProcess&) = delete;

  static std::string Binary() { return EnvOr("MANO_BUILD_DIR", ".") + "/bin/manod"; }
  static std::string DefaultSamples() {
    return EnvOr("MANO_SOURCE_DIR", ".") + "/tools/manod/samples/tasks.jsonl";
  }

  const std::string& dir() const { return dir_; }
  const std::string& db() const { return db_; }
  bool postgres() const { return db_.rfind("postgresql://", 0) == 0; }
  // Runs `sql` on the server's database (SQLite or PostgreSQL), for checks of what the store
  // holds: one row a line, columns separated by |. Throws on failure.
  std::string Query(const std::string& sql) const {
    if (postgres()) return PostgresProcess::Shared().Query(db_, sql);
    std::string path = dir_ + "/query.out";
    int status =
        ChildProcess({"/usr/bin/sqlite3", "-readonly", db_, sql}, {.stdout_path = path}).Wait();
    std::string out = ReadFileBytes(path);
    if (status != 0) {
      throw std::runtime_error("sqlite3 failed: " + sql);
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  int64_t QueryInt(const std::string& sql) const { return std::stoll(Query(sql)); }
  uint16_t port() const { return port_; }
  // "https://..." when serve_args hold --cert (TLS); "http://..." otherwise.
  std::string url() const {
    return std::string(Tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  pid_t pid() const { return child_ ? child_->pid() : -1; }
  bool running() const { return child_ && child_->running(); }

  // The token `worker add` printed for `worker` (throws when unknown).
  const std::string& Token(const std::string& worker) const {
    auto it = tokens_.find(worker);
    if (it == tokens_.end()) throw std::runtime_error("no token for worker " + worker);
    return it->second;
  }

  // Adds a worker (works while serving too) and returns its token.
  std::string AddWorker(const std::string& name) { return WorkerToken("add", name); }

  // `manod worker token NAME`: a new token for `name` (the old one stops working).
  std::string NewToken(const std::string& name) { return WorkerToken("token", name); }

  // `manod import`; a .csv needs its template.
  void Import(const std::string& file, const std::string& template_file = {}) {
    std::vector<std::string> args = {"import", "--db", db(), file};
    if (!template_file.empty()) {
      args.push_back("--template");
      args.push_back(template_file);
    }
    Expect(Run(args), "import " + file);
  }

  // Runs `manod <args>` to completion; returns its exit status, stdout into *out,
  // stderr into *err when given.
  int Run(const std::vector<std::string>& args, std::string* out = nullptr,
          std::string* err = nullptr) const {
    std::string out_path = dir_ + "/run.out", err_path = dir_ + "/run.err";
    rusage usage{};
    int status = Spawn(args, out_path, err_path).Wait(&usage);
    last_run_max_rss_kb_ = usage.ru_maxrss;
    if (out) *out = ReadFileBytes(out_path);
    if (err) *err = ReadFileBytes(err_path);
    last_run_output_ = ReadFileBytes(out_path) + ReadFileBytes(err_path);
    return status;
  }

  // Starts `manod serve` (on the port of the first start, if there was one) and waits until
  // /v1/health answers.
  void Start() {
    if (running()) return;
    std::string port_file = dir_ + "/port";
    std::filesystem::remove(port_file);
    std::vector<std::string> args = {"serve",
                                     "--db",
                                     db(),
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--port-file",
                                     port_file,
                                     "--test-clock-file",
                                     dir_ + "/clock"};
    args.insert(args.end(), options_.serve_args.begin(), options_.serve_args.end());
    child_ = std::make_unique<ChildProcess>(Spawn(args, "", dir_ + "/manod.log"));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (child_->TryWait()) {
        child_.reset();
        throw std::runtime_error("manod serve exited at start: " + Log());
      }
      std::ifstream in(port_file);
      unsigned p = 0;
      if (in >> p && p > 0) {
        port_ = static_cast<uint16_t>(p);
        if (HealthOk()) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Kill();
    throw std::runtime_error("manod serve did not become healthy within 10 s: " + Log());
  }

  // SIGTERM, then waits (SIGKILL after `kill_after`). Returns the exit status (-1 if not
  // running; 128 + 9 if it had to be killed).
  int Stop(std::chrono::seconds kill_after = std::chrono::seconds(5)) {
    if (!running()) return -1;
    int status = child_->Stop(SIGTERM, kill_after);
    child_.reset();
    return status;
  }

  // SIGKILL: the crash a power cut looks like to the server process.
  void Kill() { child_.reset(); }

  void Restart() {
    Stop();
    Start();
  }

  // Moves the server's clock by `ms` (cumulative; takes effect on the next request).
  void AdvanceClock(int64_t ms) {
    clock_offset_ += ms;
    std::string tmp = dir_ + "/clock.tmp";
    std::ofstream(tmp) << clock_offset_ << "\n";
    std::filesystem::rename(tmp, dir_ + "/clock");
  }

  // The server's stderr so far (one line per request, start-up and errors).
  std::string Log() const { return ReadFileBytes(dir_ + "/manod.log"); }
  // stdout + stderr of the last Run().
  const std::string& last_run_output() const { return last_run_output_; }
  // The peak resident memory of the last Run()'s process, in KiB (its VmHWM, from wait4).
  long last_run_max_rss_kb() const { return last_run_max_rss_kb_; }
  // A memory figure of the running server from /proc/<pid>/status, in KiB: "VmRSS" (now),
  // "VmHWM" (its peak so far). 0 when unreadable.
  long MemoryKib(const std::string& field) const {
    std::ifstream in("/proc/" + std::to_string(pid()) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return 0;
  }

 private:
  static std::string EnvOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
  }

  static std::string LastLine(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    size_t nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
  }

  // `manod worker <command> --db DB NAME`; the token it printed on its last line.
  std::string WorkerToken(const std::string& command, const std::string& name) {
    std::string out;
    Expect(Run({"worker", command, "--db", db(), name}, &out), "worker " + command);
    std::string token = LastLine(out);
    tokens_[name] = token;
    return token;
  }

  void Expect(int status, const std::string& what) const {
    if (status != 0) {
      throw std::runtime_error("manod " + what + " failed (" + std::to_string(status) +
                               "): " + last_run_output_);
    }
  }

  // manod with stdout/stderr redirected to files ("" = /dev/null).
  ChildProcess Spawn(const std::vector<std::string>& args, const std::string& out,
                     const std::string& err) const {
    std::vector<std::string> argv = {Binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return ChildProcess(argv, {.stdout_path = out, .stderr_path = err});
  }

  bool Tls() const {
    for (const auto& a : options_.serve_args) {
      if (a == "--cert") return true;
    }
    return false;
  }

  // A bare HTTP/1.0 GET /v1/health over a socket: true on "HTTP/1.x 200". With TLS (which this
  // header does not speak) an accepted TCP connection is taken as ready.
  bool HealthOk() const {
    try {
      LoopbackSocket probe(port_, {.timeout_s = 1});
      if (Tls()) return true;
      if (!probe.TrySend("GET /v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")) return false;
      std::string reply = probe.ReadOnce();
      return reply.size() >= 12 && reply.substr(9, 3) == "200";
    } catch (const std::runtime_error&) {
      return false;  // not listening yet
    }
  }

  Options options_;
  TempDir temp_{"manod-test"};  // destroyed after the server stopped
  std::string dir_;
  std::string db_;
  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> child_;
  int64_t clock_offset_ = 0;
  std::map<std::string, std::string> tokens_;
  mutable std::string last_run_output_;
  mutable long last_run_max_rss_kb_ = 0;
};

}  // namespace mano::test

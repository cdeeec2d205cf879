// PostgresProcess: a private PostgreSQL server for tests, started by the test itself and
// gone when it ends. No system service, no TCP port, nothing left behind.
//
// Header-only, POSIX/Linux only. Needs the Debian packages postgresql-15 (initdb, postgres)
// and postgresql-client-15 (psql). What the constructor does (each step throws
// std::runtime_error with the tool's output on failure): mkdtemp a directory under $TMPDIR
// (or /tmp); `initdb` into <dir>/data (superuser "mano", trust auth, no fsync of its own);
// then `postgres` itself as a child process, listening only on a unix socket in <dir>; waits
// until `psql -c 'SELECT 1'` answers (up to 30 s). PostgreSQL refuses to run as root, so
// when the test runs as root both run as the user `nobody` (the directory is given to it).
// postgres runs as our direct child rather than through pg_ctl's daemon so that it can be
// tied to this process (PR_SET_PDEATHSIG): a test killed mid-way takes its server with it.
//
//   auto& pg = mano::test::PostgresProcess::Shared();   // one per test process, lazily
//   std::string url = pg.CreateDatabase();             // postgresql:///mano_1?host=...
//   pg.Query(url, "SELECT count(*) FROM results");     // psql's unaligned output
//
// The destructor asks for a fast shutdown (SIGINT), waits, and removes the directory (kept
// when MANO_KEEP_TMP=1). UseForManod() says whether tests should run manod on PostgreSQL:
// MANO_TEST_DB=postgres. Thread safety: none; use from the test's thread.
#pragma once

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "file_bytes.h"
#include "temp_dir.h"

namespace mano::test {

class PostgresProcess {
 public:
  struct Options {
    bool fsync = false;  // tests kill manod, never the database: no need to flush to disk
    int max_connections = 200;
  };

  static bool UseForManod() {
    const char* v = std::getenv("MANO_TEST_DB");
    return v && std::string(v) == "postgres";
  }

  // The test process's server, started on first use and stopped at exit.
  static PostgresProcess& Shared() {
    static PostgresProcess shared;
    return shared;
  }

  PostgresProcess() : PostgresProcess(Options()) {}
  explicit PostgresProcess(Options options) {
    dir_ = temp_.path();
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("nobody");
      if (!pw) throw std::runtime_error("running as root, and there is no user nobody");
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      if (chown(dir_.c_str(), uid_, gid_) != 0) throw std::runtime_error("chown " + dir_);
    }
    std::string log = dir_ + "/initdb.log";
    int status = Spawn({Bin("initdb"), "-D", dir_ + "/data", "-U", "mano", "--auth=trust",
                        "--no-sync", "-E", "UTF8", "--locale=C"},
                       log, false)
                     .Wait();
    if (status != 0) throw std::runtime_error("initdb failed: " + ReadFileBytes(log));
    std::vector<std::string> args = {Bin("postgres"),
                                     "-D",
                                     dir_ + "/data",
                                     "-k",
                                     dir_,
                                     "-c",
                                     "listen_addresses=",
                                     "-c",
                                     "max_connections=" + std::to_string(options.max_connections),
                                     "-c",
                                     "shared_buffers=32MB"};
    if (!options.fsync) {
      for (const char* c : {"fsync=off", "synchronous_commit=off", "full_page_writes=off"}) {
        args.push_back("-c");
        args.push_back(c);
      }
    }
    server_ = std::make_unique<ChildProcess>(Spawn(args, dir_ + "/postgres.log", true));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (server_->TryWait()) {
        server_.reset();
        throw std::runtime_error("postgres exited at start: " +
                                 ReadFileBytes(dir_ + "/postgres.log"));
      }
      std::string out;
      if (Psql(Url("postgres"), "SELECT 1", &out) == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Stop();
    throw std::runtime_error("postgres did not answer within 30 s: " +
                             ReadFileBytes(dir_ + "/postgres.log"));
  }

  ~PostgresProcess() {
    Stop();
  }
  PostgresProcess(const PostgresProcess&) = delete;
  PostgresProcess& operator=(const PostgresProcess&) = delete;

  const std::string& dir() const { return dir_; }
  pid_t pid() const { return server_ ? server_->pid() : -1; }

  // The libpq URL of `database` on this server (unix socket in dir()).
  std::string Url(const std::string& database) const {
    return "postgresql:///" + database + "?host=" + dir_ + "&user=mano";
  }

  // A new empty database; returns its URL.
  std::string CreateDatabase() {
    std::string name = "mano_" + std::to_string(++databases_);
    Query(Url("postgres"), "CREATE DATABASE " + name);
    return Url(name);
  }

  // Runs `sql` with psql; returns its unaligned, tuples-only output without the last
  // newline (one row a line, columns separated by |). Throws on failure.
  std::string Query(const std::string& url, const std::string& sql) const {
    std::string out;
    if (Psql(url, sql, &out) != 0) throw std::runtime_error("psql failed: " + sql + ": " + out);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  int64_t QueryInt(const std::string& url, const std::string& sql) const {
    return std::stoll(Query(url, sql));
  }

  // Fast shutdown; waits for the server to end.
  void Stop() {
    if (!server_) return;
    server_->Stop(SIGINT, std::chrono::seconds(20), SIGQUIT);
    server_.reset();
  }

 private:
  static std::string Bin(const std::string& name) { return "/usr/lib/postgresql/15/bin/" + name; }


  int Psql(const std::string& url, const std::string& sql, std::string* out) const {
    std::string path = dir_ + "/psql." + std::to_string(getpid()) + ".out";
    int status = Spawn({"/usr/bin/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                        "-c", sql},
                       path, false, /*as_server_user=*/false)
                     .Wait();
    *out = ReadFileBytes(path);
    std::filesystem::remove(path);
    return status;
  }

  // The program with stdout and stderr into `log`; as the server's user unless told not to.
  // `tie_to_us`: SIGQUIT (postgres's immediate shutdown) when the test process dies.
  ChildProcess Spawn(const std::vector<std::string>& args, const std::string& log, bool tie_to_us,
                     bool as_server_user = true) const {
    ChildProcess::Options options{.stdout_path = log, .stderr_to_stdout = true};
    if (as_server_user) {
      options.uid = uid_;
      options.gid = gid_;
    }
    if (tie_to_us) options.parent_death_signal = SIGQUIT;
    return ChildProcess(args, options);
  }

  TempDir temp_{"mano-pg"};  // destroyed after the server stopped
  std::string dir_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  std::unique_ptr<ChildProcess> server_;
  int databases_ = 0;
};

}  // namespace mano::test

// ManoRunner: runs the real `mano` program ($MANO_BUILD_DIR/bin/mano) for integration
// tests, with a private data folder and config folder, a clean language environment
// (LANG/LANGUAGE/LC_* removed unless given), optional standard input, and captured
// stdout/stderr/exit status. While the program runs, Run() can watch every process's
// command line (/proc/*/cmdline) for a secret. LogIn logs it into a ManodProcess (or any URL)
// the one way every test does it. Header-only; POSIX; test thread only.
#pragma once

#include <dirent.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "file_bytes.h"
#include "manod_process.h"
#include "temp_dir.h"

namespace mano::test {

// The JSON a `mano ... --json` printed; the test fails (showing the text) when it is not JSON.
inline rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  INFO(text);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

struct ManoResult {
  int status = -1;  // exit status (128 + signal when killed)
  std::string out;
  std::string err;
  bool secret_seen_in_cmdline = false;
};

class ManoRunner {
 public:
  ManoRunner() : dir_(temp_.path()) {}
  ManoRunner(const ManoRunner&) = delete;
  ManoRunner& operator=(const ManoRunner&) = delete;

  static std::string Binary() {
    const char* b = std::getenv("MANO_BUILD_DIR");
    return std::string(b && *b ? b : ".") + "/bin/mano";
  }
  const std::string& dir() const { return dir_; }
  std::string data_dir() const { return dir_ + "/data"; }
  std::string config_home() const { return dir_ + "/config"; }

  // Runs `mano --data-dir <data_dir> <args>`; `env` adds variables (LANG=...).
  ManoResult Run(const std::vector<std::string>& args, const std::string& input = {},
                 const std::map<std::string, std::string>& env = {},
                 const std::string& secret = {}) const {
    std::vector<std::string> argv_s = {Binary(), "--data-dir", data_dir()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    return RunRaw(argv_s, input, env, secret);
  }

  // `mano login --server <url> --name <name>` with `token` on stdin (never in argv); the test
  // fails, showing what mano said, unless it exits 0.
  void LogIn(const std::string& url, const std::string& name, const std::string& token) const {
    ManoResult r = Run({"login", "--server", url, "--name", name}, token + "\n");
    INFO("mano login: " << r.out << r.err);
    REQUIRE(r.status == 0);
  }
  // Logs in to `server` as its worker `worker`, under the same account name.
  void LogIn(const ManodProcess& server, const std::string& worker = "alice") const {
    LogIn(server.url(), worker, server.Token(worker));
  }

  // Runs the exact argv (no --data-dir added); MANO_HOME is the private data folder.
  ManoResult RunRaw(std::vector<std::string> argv_s, const std::string& input,
                    const std::map<std::string, std::string>& env,
                    const std::string& secret = {}) const {
    std::string out_path = dir_ + "/stdout", err_path = dir_ + "/stderr";
    ChildProcess::Options options{
        .stdin_data = input,
        .stdout_path = out_path,
        .stderr_path = err_path,
        .unset_env = {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "NO_COLOR"},
        .set_env = {{"MANO_HOME", data_dir()}, {"XDG_CONFIG_HOME", config_home()}}};
    for (const auto& [k, v] : env) options.set_env[k] = v;
    ChildProcess child(argv_s, options);
    ManoResult r;
    for (;;) {
      if (!secret.empty() && CmdlineHolds(secret)) r.secret_seen_in_cmdline = true;
      if (secret.empty()) {
        r.status = child.Wait();
        break;
      }
      if (auto status = child.TryWait()) {
        r.status = *status;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    r.out = ReadFileBytes(out_path);
    r.err = ReadFileBytes(err_path);
    return r;
  }

  // Starts `mano --data-dir <data_dir> <args>` in the background (stdin /dev/null, output
  // into <dir>/bg.out and bg.err). The caller signals and reaps it (child.Kill(SIGTERM));
  // a child left running is killed when the returned object goes.
  ChildProcess Spawn(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {Binary(), "--data-dir", data_dir()};
    argv.insert(argv.end(), args.begin(), args.end());
    return ChildProcess(argv,
                        {.stdout_path = dir_ + "/bg.out",
                         .stderr_path = dir_ + "/bg.err",
                         .unset_env = {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE"},
                         .set_env = {{"XDG_CONFIG_HOME", config_home()}}});
  }

  // True when any process's command line (or the running mano's environment) holds `s`.
  static bool CmdlineHolds(const std::string& s) {
    DIR* proc = opendir("/proc");
    if (!proc) return false;
    bool found = false;
    while (dirent* e = readdir(proc)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      std::string cmdline = ReadFileBytes(std::string("/proc/") + e->d_name + "/cmdline");
      if (cmdline.find(s) != std::string::npos) found = true;
    }
    closedir(proc);
    return found;
  }

 private:
  TempDir temp_{"mano-cli-test"};
  std::string dir_;
};

}  // namespace mano::test

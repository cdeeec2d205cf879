// ManoRunner: runs the real `mano` program ($MANO_BUILD_DIR/bin/mano) for integration
// tests, with a private data folder and config folder, a clean language environment
// (LANG/LANGUAGE/LC_* removed unless given), optional standard input, and captured
// stdout/stderr/exit status. While the program runs, Run() can watch every process's
// command line (/proc/*/cmdline) for a secret. Header-only; POSIX; test thread only.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>
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
  ManoRunner() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mano-cli-test-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = buf.data();
  }
  ~ManoRunner() {
    const char* keep = std::getenv("MANO_KEEP_TMP");
    if (!(keep && std::string(keep) == "1")) std::system(("rm -rf '" + dir_ + "'").c_str());
  }
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

  // Runs the exact argv (no --data-dir added); MANO_HOME is the private data folder.
  ManoResult RunRaw(std::vector<std::string> argv_s, const std::string& input,
                    const std::map<std::string, std::string>& env,
                    const std::string& secret = {}) const {
    std::string out_path = dir_ + "/stdout", err_path = dir_ + "/stderr";
    int in_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
      dup2(in_pipe[0], 0);
      int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(o, 1);
      dup2(e, 2);
      for (const char* v : {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "NO_COLOR"})
        unsetenv(v);
      setenv("MANO_HOME", data_dir().c_str(), 1);
      setenv("XDG_CONFIG_HOME", config_home().c_str(), 1);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(in_pipe[0]);
    if (!input.empty()) {
      ssize_t n = write(in_pipe[1], input.data(), input.size());
      (void)n;
    }
    close(in_pipe[1]);
    ManoResult r;
    int status = 0;
    while (true) {
      if (!secret.empty() && CmdlineHolds(secret)) r.secret_seen_in_cmdline = true;
      pid_t done = waitpid(child, &status, secret.empty() ? 0 : WNOHANG);
      if (done == child) break;
      if (done < 0 && errno != EINTR) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = ReadFile(out_path);
    r.err = ReadFile(err_path);
    return r;
  }

  // Starts `mano --data-dir <data_dir> <args>` in the background (stdin /dev/null, output
  // into <dir>/bg.out and bg.err); returns its pid. The caller signals and reaps it (Wait).
  pid_t Spawn(const std::vector<std::string>& args) const {
    std::vector<std::string> argv_s = {Binary(), "--data-dir", data_dir()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string out_path = dir_ + "/bg.out", err_path = dir_ + "/bg.err";
    pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
      int in = open("/dev/null", O_RDONLY);
      int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(in, 0);
      dup2(o, 1);
      dup2(e, 2);
      for (const char* v : {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE"}) unsetenv(v);
      setenv("XDG_CONFIG_HOME", config_home().c_str(), 1);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return child;
  }

  // Waits for a Spawn()ed child; returns its exit status (128 + signal when killed).
  static int Wait(pid_t child) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // True when any process's command line (or the running mano's environment) holds `s`.
  static bool CmdlineHolds(const std::string& s) {
    DIR* proc = opendir("/proc");
    if (!proc) return false;
    bool found = false;
    while (dirent* e = readdir(proc)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      std::string cmdline = ReadFile(std::string("/proc/") + e->d_name + "/cmdline");
      if (cmdline.find(s) != std::string::npos) found = true;
    }
    closedir(proc);
    return found;
  }

 private:
  std::string dir_;
};

}  // namespace mano::test

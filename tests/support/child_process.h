// ChildProcess: the one way tests start another process (a program, or a function of this
// one in a forked child). RAII: the destructor SIGKILLs a child that is still running and
// reaps it, and closes every descriptor the object owns, so a failing REQUIRE never leaves a
// process or a zombie behind.
//
//   // run to completion, output into files ("" = /dev/null):
//   int status = mano::test::ChildProcess({"/usr/bin/sqlite3", db, sql},
//                                         {.stdout_path = out}).Wait();
//   // a server in the background, stopped with SIGTERM (SIGKILL after 5 s):
//   mano::test::ChildProcess server({bin, "serve", ...}, {.stderr_path = log});
//   server.Stop(SIGTERM, std::chrono::seconds(5));
//   // a function in a forked child (its return value is the exit status):
//   auto child = mano::test::ChildProcess::Fork([&] { return RunPass(); });
//
// Exit statuses are shell-style: the exit code, or 128 + the signal that ended the child.
// Spawning: fork, then in the child the redirections, the environment changes, setgid/setuid,
// PR_SET_PDEATHSIG, closing every descriptor above stderr, and exec (execvp when
// `search_path`); an exec failure exits 127.
// Options::stdin_data goes through a pipe written (then closed) by the parent after the fork;
// Options::stdout_pipe gives the parent the read end (stdout_fd()) instead of a file.
// Errors: a failed fork or pipe throws std::runtime_error. Header-only, POSIX only.
// Thread safety: one object per thread.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mano::test {

class ChildProcess {
 public:
  struct Options {
    std::string stdin_path;                 // "" = /dev/null (unless stdin_data is set)
    std::optional<std::string> stdin_data;  // written to a pipe on the child's stdin
    std::string stdout_path;                // "" = /dev/null (unless stdout_pipe)
    bool stdout_pipe = false;               // the parent reads the child's stdout from stdout_fd()
    std::string stderr_path;                // "" = /dev/null (unless stderr_to_stdout)
    bool stderr_to_stdout = false;          // stderr joins stdout (file or pipe)
    bool keep_stderr = false;               // stderr stays the test's (for post-mortems)
    bool keep_stdio = false;                // leave stdin/stdout/stderr as the test's (Fork only)
    std::vector<std::string> unset_env;     // removed first
    std::map<std::string, std::string> set_env;  // then set
    bool search_path = false;                    // execvp (look the program up in PATH)
    uid_t uid = 0;  // when non-zero: setgid(gid) and setuid(uid) before exec
    gid_t gid = 0;
    int parent_death_signal = 0;  // when non-zero: sent to the child if the test dies
  };

  // Starts argv[0] with the arguments argv[1..].
  ChildProcess(const std::vector<std::string>& argv, const Options& options) {
    std::vector<std::string> copy = argv;
    std::vector<char*> args;
    for (auto& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    const bool search = options.search_path;
    Start(options, [&]() -> int {
      // The program must not hold the test's sockets and pipes open (a test waiting for a
      // close would hang; tmux's server would keep them for ever).
      ::closefrom(3);
      if (search) {
        execvp(args[0], args.data());
      } else {
        execv(args[0], args.data());
      }
      return 127;
    });
  }
  explicit ChildProcess(const std::vector<std::string>& argv) : ChildProcess(argv, Options{}) {}

  // Runs `body` in a forked child (no exec) and exits with its return value (3 when it
  // throws). The child keeps the test's stdio unless `options` say otherwise. Only for code
  // that is safe after fork in this program (the tests that use it start no threads first,
  // or use it to run this same program through exec of /proc/self/exe).
  static ChildProcess Fork(const std::function<int()>& body) { return Fork(body, Options()); }
  static ChildProcess Fork(const std::function<int()>& body, Options options) {
    if (options.stdin_path.empty() && !options.stdin_data && options.stdout_path.empty() &&
        !options.stdout_pipe && options.stderr_path.empty()) {
      options.keep_stdio = true;
    }
    return ChildProcess(body, options);
  }

  ChildProcess(ChildProcess&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)),
        stdout_fd_(std::exchange(other.stdout_fd_, -1)),
        status_(other.status_) {}
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  ~ChildProcess() {
    Kill(SIGKILL);
    CloseStdout();
  }

  pid_t pid() const { return pid_; }
  // True until the child has been reaped (by Wait, TryWait, Stop or Kill).
  bool running() const { return pid_ > 0; }
  // The read end of the child's stdout when Options::stdout_pipe (owned: closed with this).
  int stdout_fd() const { return stdout_fd_; }
  void CloseStdout() {
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  // The status the child ended with (valid once running() is false).
  int status() const { return status_; }

  // Reads the child's stdout pipe to its end.
  std::string ReadStdout() {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  // Sends `sig` without waiting (no-op once reaped).
  void Signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }

  // Waits for the child to end; returns its status. `usage`, when given, receives its
  // resource use (peak memory...).
  int Wait(rusage* usage = nullptr) {
    if (pid_ <= 0) return status_;
    int raw = 0;
    rusage ignored{};
    while (::wait4(pid_, &raw, 0, usage ? usage : &ignored) < 0 && errno == EINTR) {
    }
    return Reaped(raw);
  }

  // The status if the child has ended (reaping it), std::nullopt while it runs.
  std::optional<int> TryWait() {
    if (pid_ <= 0) return status_;
    int raw = 0;
    pid_t done = ::waitpid(pid_, &raw, WNOHANG);
    if (done == pid_) return Reaped(raw);
    if (done < 0 && errno != EINTR) return Reaped(raw);
    return std::nullopt;
  }

  // Sends `sig`, waits up to `grace` for the child to end, then sends `then` and waits.
  // Returns the status (that of an earlier end when already reaped).
  int Stop(int sig, std::chrono::milliseconds grace, int then = SIGKILL) {
    if (pid_ <= 0) return status_;
    ::kill(pid_, sig);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto s = TryWait()) return *s;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid_, then);
    return Wait();
  }

  // Sends `sig` (SIGKILL by default) and reaps the child; returns its status.
  int Kill(int sig = SIGKILL) {
    if (pid_ <= 0) return status_;
    ::kill(pid_, sig);
    return Wait();
  }

  // Shell-style status from a raw wait status.
  static int Decode(int raw) {
    if (WIFEXITED(raw)) return WEXITSTATUS(raw);
    if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
    return -1;
  }

 private:
  ChildProcess(const std::function<int()>& body, const Options& options) {
    Start(options, [&] {
      try {
        return body();
      } catch (...) {
        return 3;
      }
    });
  }

  int Reaped(int raw) {
    status_ = Decode(raw);
    pid_ = -1;
    return status_;
  }

  template <typename Body>
  void Start(const Options& options, Body body) {
    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    if (options.stdin_data && ::pipe2(in, O_CLOEXEC) != 0) {
      throw std::runtime_error("ChildProcess: pipe failed");
    }
    if (options.stdout_pipe && ::pipe2(out, O_CLOEXEC) != 0) {
      if (in[0] >= 0) ::close(in[0]), ::close(in[1]);
      throw std::runtime_error("ChildProcess: pipe failed");
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) {
      for (int fd : {in[0], in[1], out[0], out[1]}) {
        if (fd >= 0) ::close(fd);
      }
      throw std::runtime_error("ChildProcess: fork failed");
    }
    if (pid_ == 0) {
      if (!options.keep_stdio) {
        if (in[0] >= 0) {
          ::dup2(in[0], 0);
        } else {
          Redirect(options.stdin_path, 0, O_RDONLY);
        }
        if (out[1] >= 0) {
          ::dup2(out[1], 1);
        } else {
          Redirect(options.stdout_path, 1, O_WRONLY | O_CREAT | O_TRUNC);
        }
        if (options.stderr_to_stdout) {
          ::dup2(1, 2);
        } else if (!options.keep_stderr) {
          Redirect(options.stderr_path, 2, O_WRONLY | O_CREAT | O_TRUNC);
        }
      }
      for (const auto& name : options.unset_env) ::unsetenv(name.c_str());
      for (const auto& [name, value] : options.set_env) {
        ::setenv(name.c_str(), value.c_str(), 1);
      }
      if (options.uid != 0 && (::setgid(options.gid) != 0 || ::setuid(options.uid) != 0)) {
        ::_exit(126);
      }
      // After setuid, which clears it; a parent that died before this line is checked for.
      if (options.parent_death_signal != 0 &&
          (::prctl(PR_SET_PDEATHSIG, options.parent_death_signal) != 0 || ::getppid() != parent)) {
        ::_exit(125);
      }
      ::_exit(body());
    }
    if (in[0] >= 0) {
      ::close(in[0]);
      const std::string& data = *options.stdin_data;
      for (size_t done = 0; done < data.size();) {
        ssize_t n = ::write(in[1], data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      ::close(in[1]);
    }
    if (out[1] >= 0) {
      ::close(out[1]);
      stdout_fd_ = out[0];
    }
  }

  // In the child: `fd` from `path` ("" = /dev/null).
  static void Redirect(const std::string& path, int fd, int flags) {
    int f = ::open(path.empty() ? "/dev/null" : path.c_str(), flags | O_CLOEXEC, 0600);
    if (f >= 0) ::dup2(f, fd);
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int status_ = -1;
};

}  // namespace mano::test

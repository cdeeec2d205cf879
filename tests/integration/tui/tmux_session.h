// TmuxServer: a private tmux server (its own socket in a temp dir) for driving the terminal
// UI end to end: start a program in an 80x24 pane with a chosen environment, send keys,
// capture the screen, read the cursor, find the pane's pid. Every wait polls capture-pane
// with a generous timeout instead of sleeping a fixed time. Header-only; test thread only.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_process.h"

namespace mano::test {

class TmuxServer {
 public:
  explicit TmuxServer(const std::string& dir)
      : socket_(dir + "/tmux.sock"), out_path_(dir + "/tmux.out"), err_path_(dir + "/tmux.err") {}
  ~TmuxServer() { Run({"kill-server"}); }
  TmuxServer(const TmuxServer&) = delete;
  TmuxServer& operator=(const TmuxServer&) = delete;

  // Runs `tmux -S sock <args>`; returns (exit status, stdout).
  std::pair<int, std::string> Run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"tmux", "-u", "-S", socket_};
    argv.insert(argv.end(), args.begin(), args.end());
    // Output goes to a file, not a pipe: the tmux server daemon started by the first command
    // would inherit a pipe and hold it open for ever.
    int status = ChildProcess(argv, {.stdout_path = out_path_,
                                     .stderr_path = err_path_,
                                     .unset_env = {"TMUX"},
                                     .set_env = {{"LANG", "C.UTF-8"}},
                                     .search_path = true})
                     .Wait();
    std::ifstream in(out_path_, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {status, text};
  }

  // Starts `argv` in a new detached session `name` of 80x24, with `env` set and
  // LANG/LANGUAGE/LC_*/NO_COLOR cleared first. The program replaces the shell (exec), so the
  // pane's pid is the program's.
  void Start(const std::string& name, const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& env) {
    std::string cmd = "exec env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LC_CTYPE -u NO_COLOR";
    for (const auto& [k, v] : env) cmd += " " + Quote(k + "=" + v);
    for (const auto& a : argv) cmd += " " + Quote(a);
    auto [status, out] = Run({"new-session", "-d", "-s", name, "-x", "80", "-y", "24", cmd});
    if (status != 0) {
      std::ifstream err(err_path_, std::ios::binary);
      std::string why((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
      throw std::runtime_error("tmux new-session failed (status " + std::to_string(status) +
                               "): " + why);
    }
    Run({"set-option", "-t", name, "remain-on-exit", "on"});
  }

  std::string Capture(const std::string& name) const {
    return Run({"capture-pane", "-p", "-t", name}).second;
  }
  // Waits until the screen holds `text`; returns the screen (or the last one seen).
  std::string WaitFor(const std::string& name, const std::string& text, int timeout_s = 30) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    std::string screen;
    while (std::chrono::steady_clock::now() < deadline) {
      screen = Capture(name);
      if (screen.find(text) != std::string::npos) return screen;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return screen;
  }
  void Keys(const std::string& name, const std::vector<std::string>& keys) const {
    std::vector<std::string> args = {"send-keys", "-t", name};
    args.insert(args.end(), keys.begin(), keys.end());
    Run(args);
  }
  void Type(const std::string& name, const std::string& text) const {
    Run({"send-keys", "-t", name, "-l", text});
  }
  pid_t PanePid(const std::string& name) const {
    return static_cast<pid_t>(
        std::atoi(Run({"display-message", "-p", "-t", name, "#{pane_pid}"}).second.c_str()));
  }
  bool PaneDead(const std::string& name) const {
    return Run({"display-message", "-p", "-t", name, "#{pane_dead}"}).second.rfind("1", 0) == 0;
  }
  std::pair<int, int> Cursor(const std::string& name) const {
    std::string xy = Run({"display-message", "-p", "-t", name, "#{cursor_x} #{cursor_y}"}).second;
    int x = 0, y = 0;
    std::sscanf(xy.c_str(), "%d %d", &x, &y);
    return {x, y};
  }
  void KillSession(const std::string& name) { Run({"kill-session", "-t", name}); }

  static std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    return out + "'";
  }

 private:
  std::string socket_;
  std::string out_path_;
  std::string err_path_;  // tmux's stderr of the last command, said when a session cannot start
};

// Masks what changes from run to run: clock times, countdowns, "saved N s ago", temp paths,
// and trailing spaces.
inline std::string MaskVolatile(std::string screen) {
  screen = std::regex_replace(screen, std::regex(R"(\b\d\d:\d\d\b)"), "HH:MM");
  screen = std::regex_replace(screen, std::regex(R"(\b(\d+d)?(\d+h)?\d+[ms]\b|\b\d+h\b)"), "<T>");
  screen = std::regex_replace(screen, std::regex(R"(\d+(\.\d)? (s|min|h)\b)"), "<AGE>");
  screen = std::regex_replace(screen, std::regex(R"(/tmp/[^ \n]*)"), "<TMP>");
  // Masked values have varying widths: collapse the padding next to them.
  screen = std::regex_replace(screen, std::regex(R"((<T>) +)"), "$1 ");
  // The status line: a pass may be running ("syncing"), and its right part moves with it.
  screen = std::regex_replace(screen, std::regex(R"((syncing|sincronizando) · )"), "");
  screen =
      std::regex_replace(screen, std::regex(R"((\n alice:[^\n]*?) {2,}([^ \n][^\n]*))"), "$1  $2");
  screen = std::regex_replace(screen, std::regex(R"( +\n)"), "\n");
  return screen;
}

}  // namespace mano::test

#include "mano/client/ui/media_opener.h"

#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "mano/client/ui/spawn.h"
#include "mano/client/ui/ui_text.h"

namespace mano::client::ui {

std::vector<std::string> SplitCommand(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

namespace {

// The first of `commands` whose program is an executable in one of `path`'s folders.
std::vector<std::string> FirstOnPath(const std::vector<std::vector<std::string>>& commands,
                                     const std::string& path) {
  for (const auto& command : commands) {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find(':', start);
      if (end == std::string::npos) end = path.size();
      std::string dir = path.substr(start, end - start);
      if (!dir.empty() && ::access((dir + "/" + command.front()).c_str(), X_OK) == 0) {
        return command;
      }
      start = end + 1;
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> DefaultPlayer(const std::string& path) {
  // Each plays a file and ends by itself, without a window.
  static const std::vector<std::vector<std::string>> kPlayers = {
      {"pw-play"},
      {"paplay"},
      {"aplay", "-q"},
      {"ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"},
      {"mpv", "--no-video", "--really-quiet"}};
  return FirstOnPath(kPlayers, path);
}

bool IsTextBrowser(const std::string& program) {
  std::string name = program.substr(program.rfind('/') + 1);
  for (const char* known : {"w3m", "lynx", "elinks", "links", "links2", "browsh"}) {
    if (name == known) return true;
  }
  return false;
}

std::vector<std::string> MediaCommand(const Config& config, const std::string& media_type) {
  bool av = media_type.rfind("audio/", 0) == 0 || media_type.rfind("video/", 0) == 0;
  std::vector<std::string> cmd = SplitCommand(av ? config.player : config.viewer);
  if (!cmd.empty()) return cmd;
  if (av) {
    const char* path = std::getenv("PATH");
    return DefaultPlayer(path ? path : "");
  }
  return {"xdg-open"};
}

std::vector<std::string> LinkCommandFor(const Config& config, const char* browser_env,
                                        bool has_display, const std::string& path) {
  if (auto cmd = SplitCommand(config.browser); !cmd.empty()) return cmd;
  if (browser_env) {
    std::string first(browser_env);
    first = first.substr(0, first.find(':'));
    if (auto cmd = SplitCommand(first); !cmd.empty()) return cmd;
  }
  if (has_display) return {"xdg-open"};
  return FirstOnPath({{"w3m"}, {"lynx"}, {"elinks"}}, path);
}

std::vector<std::string> LinkCommand(const Config& config) {
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
  };
  const char* path = std::getenv("PATH");
  return LinkCommandFor(config, std::getenv("BROWSER"), set("DISPLAY") || set("WAYLAND_DISPLAY"),
                        path ? path : "");
}

bool IsWebLink(const std::string& text) {
  return text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0;
}

namespace {

// The opener's watcher tells the UI through the report pipe 'X' + exit status when the opener
// gave up within kWatchMs (and the opener itself 'E' + errno when its exec failed). Nothing: it
// started (and runs or ended well).
constexpr int kWatchMs = 500;

}  // namespace

std::string OpenDetached(const std::vector<std::string>& command, const std::string& path) {
  if (command.empty()) return T("There is no program to open it with.");
  std::string said;
  pid_t child = ForkReporting(
      command, path,
      [](char* const* argv, int report) {
        // Middle child: a new session, so the opener outlives the UI and is not ours to reap.
        // It watches the opener for a moment and tells what became of it through the pipe.
        ::setsid();
        pid_t opener = ::fork();
        if (opener < 0) ::_exit(1);
        if (opener == 0) {
          StdioToDevNull();
          ExecOrReport(argv, report);
        }
        for (int waited = 0; waited < kWatchMs; waited += 20) {
          int status = 0;
          pid_t done = ::waitpid(opener, &status, WNOHANG);
          if (done == opener) {
            // 127 after a failed exec was reported by the opener itself.
            bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
            if (failed && !(WIFEXITED(status) && WEXITSTATUS(status) == 127))
              WriteReport(report, 'X', WIFEXITED(status) ? WEXITSTATUS(status) : 128);
            ::_exit(0);
          }
          ::usleep(20'000);
        }
        ::_exit(0);
      },
      said);
  if (child < 0) return T("Cannot start a process.");
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string& program = command.front();
  if (!said.empty() && said[0] == 'E') {
    int error = std::atoi(said.c_str() + 1);
    if (error == ENOENT)
      return TF("{0} is not installed; set viewer or player in config.toml.", {program});
    return TF("{0} cannot be started: {1}.", {program, std::strerror(error)});
  }
  if (!said.empty() && said[0] == 'X')
    return TF("{0} could not open it (exit status {1}).", {program, said.substr(1)});
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return T("Cannot start a process.");
  return "";
}

std::string RunInTerminal(const std::vector<std::string>& command, const std::string& argument) {
  if (command.empty()) return T("There is no program to open it with.");
  // Giving the terminal away and taking it back from a background group raises SIGTTOU.
  struct sigaction ignore {
  }, old_ttou{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGTTOU, &ignore, &old_ttou);
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  int error = 0;
  pid_t child = SpawnReporting(
      command, argument,
      [tty] {
        ::setpgid(0, 0);
        if (tty) ::tcsetpgrp(STDIN_FILENO, ::getpid());  // its keys, Ctrl-C included
        ::signal(SIGTTOU, SIG_DFL);
      },
      error);
  int status = 0;
  while (child > 0) {
    pid_t done = ::waitpid(child, &status, WUNTRACED);
    if (done < 0 && errno == EINTR) continue;
    if (done == child && WIFSTOPPED(status)) {  // Ctrl-Z in the browser: mano is no shell
      ::kill(-child, SIGCONT);
      continue;
    }
    break;
  }
  if (tty) ::tcsetpgrp(STDIN_FILENO, ::getpgrp());
  ::sigaction(SIGTTOU, &old_ttou, nullptr);
  const std::string& program = command.front();
  if (error == ENOENT) return TF("{0} is not installed; set browser in config.toml.", {program});
  if (error != 0) return TF("{0} cannot be started: {1}.", {program, std::strerror(error)});
  if (child < 0) return T("Cannot start a process.");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return TF("{0} could not open it (exit status {1}).",
            {program, std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128)});
}

}  // namespace mano::client::ui

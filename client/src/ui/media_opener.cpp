#include "mano/client/ui/media_opener.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

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

std::vector<std::string> MediaCommand(const Config& config, const std::string& media_type) {
  bool av = media_type.rfind("audio/", 0) == 0 || media_type.rfind("video/", 0) == 0;
  std::vector<std::string> cmd = SplitCommand(av ? config.player : config.viewer);
  if (cmd.empty()) cmd = {"xdg-open"};
  return cmd;
}

std::string OpenDetached(const std::vector<std::string>& command, const std::string& path) {
  if (command.empty()) return "no command to open the file with";
  std::vector<std::string> args = command;
  args.push_back(path);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = ::fork();
  if (child < 0) return "cannot start a process";
  if (child == 0) {
    // Middle child: start a new session and leave at once so the viewer is not ours to reap.
    ::setsid();
    pid_t grandchild = ::fork();
    if (grandchild != 0) ::_exit(grandchild < 0 ? 1 : 0);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "cannot start a process";
  return "";
}

}  // namespace mano::client::ui

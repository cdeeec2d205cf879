#include "control_commands.h"

#include <charconv>
#include <sstream>
#include <vector>

#include "proxy.h"

namespace mano::flakynet {
namespace {

std::vector<std::string> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::istringstream in{std::string(line)};
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool ParseNumber(const std::string& text, uint64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string OkOr(const std::string& error) { return error.empty() ? "ok" : "error " + error; }

constexpr const char* kHelp =
    "commands: ping | stats | reset-stats | cut reset|stall|mixed | blackout MS | "
    "set KEY VALUE | get | profile NAME | schedule [SECONDS [CONNECTIONS]]";

}  // namespace

std::string RunControlCommand(Proxy& proxy, std::string_view line) {
  std::vector<std::string> w = SplitWords(line);
  if (w.empty()) return "error empty command";
  const std::string& cmd = w[0];
  size_t args = w.size() - 1;

  if (cmd == "ping" && args == 0) return "pong";
  if (cmd == "help") return kHelp;
  if (cmd == "stats" && args == 0) return proxy.StatsJson();
  if (cmd == "reset-stats" && args == 0) {
    proxy.ResetStats();
    return "ok";
  }
  if (cmd == "get" && args == 0) return proxy.ProfileJson();
  if (cmd == "cut" && args == 1) {
    CutMode mode;
    if (w[1] == "reset") {
      mode = CutMode::kReset;
    } else if (w[1] == "stall") {
      mode = CutMode::kStall;
    } else if (w[1] == "mixed") {
      mode = CutMode::kMixed;
    } else {
      return "error cut takes reset, stall or mixed";
    }
    return "ok " + std::to_string(proxy.CutAll(mode));
  }
  if (cmd == "blackout" && args == 1) {
    uint64_t ms = 0;
    if (!ParseNumber(w[1], ms)) return "error blackout takes milliseconds";
    proxy.BlackoutFor(ms);
    return "ok";
  }
  if (cmd == "set" && args == 2) return OkOr(proxy.Set(w[1], w[2]));
  if (cmd == "profile" && args == 1) return OkOr(proxy.UseProfile(w[1]));
  if (cmd == "schedule" && args <= 2) {
    uint64_t seconds = 3600;
    uint64_t connections = 100;
    if ((args >= 1 && !ParseNumber(w[1], seconds)) ||
        (args == 2 && !ParseNumber(w[2], connections))) {
      return "error schedule takes [SECONDS [CONNECTIONS]]";
    }
    return proxy.ScheduleJson(static_cast<int64_t>(seconds) * 1000, connections);
  }
  return "error unknown command or wrong arguments: '" + std::string(line) + "'; " + kHelp;
}

}  // namespace mano::flakynet

// flakynet: a TCP proxy that plays a bad link, seeded and reproducible. See README.md
// in this folder for the flags, the profiles and the control protocol.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "control_commands.h"
#include "control_server.h"
#include "link_profile.h"
#include "net.h"
#include "poller.h"
#include "proxy.h"
#include "schedule.h"
#include "stop_signals.h"

namespace fn = mano::flakynet;

namespace {

// Flags that set one profile knob each; they override the profile, in any order.
constexpr std::pair<const char*, const char*> kKnobFlags[] = {
    {"--rate", "rate"},
    {"--rate-up", "rate_up"},
    {"--rate-down", "rate_down"},
    {"--burst", "burst"},
    {"--delay", "delay"},
    {"--delay-up", "delay_up"},
    {"--delay-down", "delay_down"},
    {"--cut-after-up", "cut_after_up"},
    {"--cut-after-down", "cut_after_down"},
    {"--cut-mode", "cut_mode"},
    {"--cut-scope", "cut_scope"},
    {"--cut-chance", "cut_chance"},
    {"--blackout-mode", "blackout_mode"},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"flakynet: a TCP proxy that plays a bad link, seeded and reproducible"};
  std::string listen = "127.0.0.1:0";
  std::string target;
  std::string profile_name = "good";
  uint64_t seed = 1;
  std::string control;
  std::optional<uint64_t> dump_seconds;
  std::vector<std::string> settings;
  std::map<std::string, std::string> knobs;
  app.add_option("--listen", listen, "HOST:PORT to accept on (port 0 = pick one)");
  app.add_option("--target", target, "HOST:PORT of the real server");
  app.add_option("--profile", profile_name, "good, 3g, caracas, damascus, latency300 or latency1000");
  app.add_option("--seed", seed, "seed for blackouts and random cuts");
  app.add_option("--control", control, "control socket: a Unix socket path, or a TCP port");
  app.add_option("--set", settings, "KEY=VALUE, any knob (repeatable)");
  app.add_option("--dump-schedule", dump_seconds, "print the schedule for SECONDS and exit");
  for (const auto& [flag, key] : kKnobFlags) {
    app.add_option(flag, knobs[key], std::string("sets ") + key);
  }
  CLI11_PARSE(app, argc, argv);

  auto profile = fn::LinkProfile::Named(profile_name);
  if (!profile) {
    std::cerr << "flakynet: unknown profile '" << profile_name << "'\n";
    return 2;
  }
  for (const auto& setting : settings) {
    size_t eq = setting.find('=');
    knobs[setting.substr(0, eq)] = eq == std::string::npos ? "" : setting.substr(eq + 1);
  }
  for (const auto& [key, value] : knobs) {
    if (value.empty()) continue;
    if (std::string error = profile->Set(key, value); !error.empty()) {
      std::cerr << "flakynet: " << error << "\n";
      return 2;
    }
  }

  if (dump_seconds) {
    fn::Schedule schedule(*profile, seed);
    std::cout << schedule.DumpJson(static_cast<int64_t>(*dump_seconds) * 1000, 100) << std::endl;
    return 0;
  }
  if (target.empty()) {
    std::cerr << "flakynet: --target HOST:PORT is required\n";
    return 2;
  }

  try {
    fn::Poller poller;
    fn::StopSignals signals(poller);
    fn::Proxy proxy(poller, fn::ParseEndpoint(listen), fn::ParseEndpoint(target), *profile, seed);
    std::optional<fn::ControlServer> control_server;
    if (!control.empty()) {
      control_server.emplace(poller, control, [&proxy](std::string_view line) {
        return fn::RunControlCommand(proxy, line);
      });
      std::cout << "control " << control_server->address() << "\n";
    }
    // Last line: the proxy is ready once this is printed.
    std::cout << "listening " << fn::FormatEndpoint(proxy.listen_address()) << std::endl;
    while (!signals.stop_requested()) {
      proxy.Tick();
      poller.WaitAndDispatch(proxy.TimeoutMs());
    }
  } catch (const std::exception& e) {
    std::cerr << "flakynet: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

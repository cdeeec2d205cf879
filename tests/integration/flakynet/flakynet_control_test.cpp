// flakynet's control socket, blackouts, seeded schedules, and its promise not to spin.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "child_process.h"
#include "echo_link.h"
#include "flakynet_process.h"
#include "loopback_server.h"
#include "loopback_socket.h"

using namespace mano::test;
using namespace std::chrono_literals;

namespace {

// Runs flakynet with --dump-schedule and returns its stdout.
std::string DumpSchedule(const std::string& profile, const std::string& seed) {
  ChildProcess child({FlakynetProcess::DefaultBinary(), "--profile", profile, "--seed", seed,
                      "--dump-schedule", "3600"},
                     {.stdout_pipe = true});
  std::string out = child.ReadStdout();
  REQUIRE(child.Wait() == 0);
  return out;
}

}  // namespace

TEST_CASE("control commands answer one line each", "[flakynet]") {
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  auto net = FlakynetProcess::ToPort(echo.port(), {"--profile", "3g"});
  CHECK(net.Control("ping") == "pong");
  std::string params = net.Control("get");
  CHECK(FlakynetProcess::Field(params, "rate_down") == 125'000);  // 1 Mbit/s
  CHECK(FlakynetProcess::Field(params, "rate_up") == 48'000);     // 384 kbit/s
  CHECK(FlakynetProcess::Field(params, "delay_up") == 100);

  CHECK(net.Control("set rate 2mbit") == "ok");
  CHECK(net.Control("set delay-down 7") == "ok");
  CHECK(net.Control("set cut_mode stall") == "ok");
  params = net.Control("get");
  CHECK(FlakynetProcess::Field(params, "rate_up") == 250'000);
  CHECK(FlakynetProcess::Field(params, "delay_down") == 7);
  CHECK(params.find("\"cut_mode\":\"stall\"") != std::string::npos);

  CHECK(net.Control("set rate fast").rfind("error", 0) == 0);
  CHECK(net.Control("set colour blue").rfind("error", 0) == 0);
  CHECK(net.Control("profile narnia").rfind("error", 0) == 0);
  CHECK(net.Control("frobnicate").rfind("error", 0) == 0);

  CHECK(net.Control("profile good") == "ok");
  params = net.Control("get");
  CHECK(FlakynetProcess::Field(params, "rate_up") == 0);
  CHECK(FlakynetProcess::Field(params, "delay_down") == 0);

  LoopbackSocket client(net.port());
  REQUIRE(client.RoundTrip("abc"));
  CHECK(net.Stats().bytes_down == 3);
  CHECK(net.Control("reset-stats") == "ok");
  auto s = net.Stats();
  CHECK(s.bytes_up == 0);
  CHECK(s.bytes_down == 0);
  CHECK(s.connections == 0);
  CHECK(s.active == 1);  // reset-stats zeroes counters, not connections
}

TEST_CASE("the control socket can be TCP on 127.0.0.1, several commands per connection",
          "[flakynet]") {
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  // "--control 0": a free TCP port, announced as "control tcp:127.0.0.1:PORT".
  auto net = FlakynetProcess::ToPort(echo.port(), {"--control", "0"});
  CHECK(net.Control("ping") == "pong");
  LoopbackSocket control(net.control_tcp_port());
  REQUIRE(control.SendAll("ping\r\nset delay 5\nget\n") == 0);
  std::string replies;
  while (std::count(replies.begin(), replies.end(), '\n') < 3) {
    auto got = control.ReadUntil(1, 10s);
    REQUIRE(got.data.size() == 1);
    replies += got.data;
  }
  CHECK(replies.rfind("pong\nok\n{\"profile\":\"good\"", 0) == 0);
  CHECK(FlakynetProcess::Field(replies, "delay_up") == 5);
}

TEST_CASE_METHOD(EchoLink, "a blackout stalls open and new connections until it ends",
                 "[flakynet]") {
  LoopbackSocket old_client(net.port());
  REQUIRE(old_client.RoundTrip("before"));

  // Far longer than the test: it ends only when told to.
  REQUIRE(net.Control("blackout 600000") == "ok");
  CHECK(net.Stats().blackout);
  REQUIRE(old_client.SendAll("during") == 0);
  LoopbackSocket new_client(net.port());  // accepted, then nothing (blackout_mode stall)
  REQUIRE(new_client.SendAll("hello?") == 0);
  CHECK(old_client.ReadUntil(1, kQuiet).timed_out);
  CHECK(new_client.ReadUntil(1, kQuiet).timed_out);
  CHECK(net.Stats().bytes_up == 6);

  REQUIRE(net.Control("blackout 0") == "ok");
  CHECK_FALSE(net.Stats().blackout);
  CHECK(old_client.ReadUntil(6, 10s).data == "during");
  CHECK(new_client.ReadUntil(6, 10s).data == "hello?");
  CHECK(net.Stats().cuts == 0);
  CHECK(net.Stop() == 0);
}

TEST_CASE("blackout_mode refuse resets new connections during a blackout", "[flakynet]") {
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  auto net = FlakynetProcess::ToPort(echo.port(), {"--blackout-mode", "refuse"});
  REQUIRE(net.Control("blackout 600000") == "ok");
  LoopbackSocket refused(net.port());
  CHECK(refused.ReadUntil(1, 10s).error == ECONNRESET);
  auto s = net.Stats();
  CHECK(s.refused == 1);
  CHECK(s.connections == 1);
  CHECK(echo.connections() == 0);  // nothing reached the server
}

TEST_CASE("scheduled blackouts start on flakynet's clock", "[flakynet]") {
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  // One window from 100 ms to 600100 ms after start.
  auto net = FlakynetProcess::ToPort(
      echo.port(), {"--set", "blackout_every_min=100", "--set", "blackout_every_max=100", "--set",
                    "blackout_min=600000", "--set", "blackout_max=600000"});
  std::string dump = net.Control("schedule 1");  // the windows starting in the first second
  CHECK(dump.find("\"blackouts\":[[100,600100]]") != std::string::npos);
  auto give_up = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    auto s = net.Stats();
    if (s.clock_ms < 100) CHECK_FALSE(s.blackout);
    if (s.clock_ms >= 100) {
      CHECK(s.blackout);
      break;
    }
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::sleep_for(10ms);
  }
  LoopbackSocket client(net.port());
  REQUIRE(client.SendAll("x") == 0);
  CHECK(client.ReadUntil(1, kQuiet).timed_out);
}

TEST_CASE("the same seed gives the same schedule; another seed another one", "[flakynet]") {
  std::string a = DumpSchedule("caracas", "7");
  std::string b = DumpSchedule("caracas", "7");
  std::string c = DumpSchedule("caracas", "8");
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a.find("\"blackouts\":[[") != std::string::npos);
  CHECK(DumpSchedule("damascus", "3") == DumpSchedule("damascus", "3"));
  // damascus: a 10 s blackout every minute.
  CHECK(DumpSchedule("damascus", "3").find("[[50000,60000],[110000,120000],") != std::string::npos);

  // The control socket's dump is the same function of profile and seed.
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  auto net = FlakynetProcess::ToPort(echo.port(), {"--profile", "caracas", "--seed", "7"});
  std::string live = net.Control("schedule 3600");
  CHECK(live + "\n" == a);
}

TEST_CASE("an idle proxy sleeps: no wake-ups without traffic or due timers", "[flakynet]") {
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  auto net = FlakynetProcess::ToPort(echo.port(), {"--rate", "100kb", "--delay", "20"});
  LoopbackSocket idle(net.port());
  REQUIRE(idle.SendAll(std::string(20'000, 'i')) == 0);  // drain the bucket, fill the queue
  REQUIRE(idle.ReadUntil(20'000, 10s).data.size() == 20'000);
  LoopbackSocket stalled(net.port());
  REQUIRE(net.Control("cut stall") == "ok 2");
  LoopbackSocket paused(net.port());
  REQUIRE(net.Control("blackout 600000") == "ok");
  std::this_thread::sleep_for(100ms);  // let the bucket refill: its timer then stops

  uint64_t before = net.Stats().wakeups;
  std::this_thread::sleep_for(500ms);
  uint64_t after = net.Stats().wakeups;
  // Each control command costs a few wake-ups (accept, read, hang-up); a busy or
  // millisecond-polling loop would add hundreds over half a second.
  CHECK(after - before <= 8);
}

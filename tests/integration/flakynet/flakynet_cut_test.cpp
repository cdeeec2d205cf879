// flakynet cuts connections exactly where it is told: after N bytes (reset or stall),
// on command, once globally, and at the seeded random points of a profile.

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "echo_link.h"
#include "flakynet_process.h"
#include "loopback_server.h"
#include "loopback_socket.h"

using namespace mano::test;
using namespace std::chrono_literals;

namespace {}  // namespace

TEST_CASE("cut after N bytes down by reset delivers exactly N bytes, then ECONNRESET",
          "[flakynet]") {
  LoopbackServer source(LoopbackServer::Mode::kSource, 200'000);
  auto net =
      FlakynetProcess::ToPort(source.port(), {"--cut-after-down", "12345", "--cut-mode", "reset"});
  LoopbackSocket client(net.port());
  auto got = client.ReadUntil(200'000, 10s);
  CHECK(got.data.size() == 12345);
  CHECK(got.error == ECONNRESET);
  CHECK(net.Stats().cuts == 1);
  CHECK(net.Stats().bytes_down == 12345);
  REQUIRE(source.WaitForEnded(1, 10s));  // the server side was reset too
  CHECK(source.end_errors()[0] != 0);
}

TEST_CASE("a reset waits until a slow reader has all N bytes", "[flakynet]") {
  constexpr uint64_t kCut = 2'000'000;  // far more than fits in the client's buffer
  LoopbackServer source(LoopbackServer::Mode::kSource, 3'000'000);
  auto net = FlakynetProcess::ToPort(source.port(), {"--cut-after-down", std::to_string(kCut)});
  LoopbackSocket client(net.port(), {.receive_buffer = 64 * 1024});
  // Not reading yet: the last bytes sit unacknowledged in flakynet's socket, so the reset
  // must wait for them (resetting now would throw them away).
  net.WaitForStats([](const auto& s) { return s.bytes_down == kCut; });
  std::this_thread::sleep_for(300ms);
  CHECK(net.Stats().cuts == 0);
  auto got = client.ReadUntil(3'000'000, 10s);
  CHECK(got.data.size() == kCut);
  CHECK(got.error == ECONNRESET);
  CHECK(net.Stats().cuts == 1);
}

TEST_CASE("cut after N bytes up by reset lets exactly N bytes reach the server", "[flakynet]") {
  LoopbackServer sink(LoopbackServer::Mode::kSource, 0);
  auto net = FlakynetProcess::ToPort(sink.port(), {"--cut-after-up", "7000"});
  LoopbackSocket client(net.port());
  client.SendAll(std::string(50'000, 'u'));  // may fail part-way: the link is cut
  REQUIRE(sink.WaitForEnded(1, 10s));
  CHECK(sink.bytes_received() == 7000);
  CHECK(sink.end_errors()[0] == ECONNRESET);
  auto got = client.ReadUntil(1, 10s);
  CHECK(got.error == ECONNRESET);
  CHECK(net.Stats().bytes_up == 7000);
}

TEST_CASE("cut after N bytes by stall: N bytes, then neither data nor close", "[flakynet]") {
  LoopbackServer source(LoopbackServer::Mode::kSource, 100'000);
  auto net =
      FlakynetProcess::ToPort(source.port(), {"--cut-after-down", "5000", "--cut-mode", "stall"});
  {
    LoopbackSocket client(net.port());
    auto got = client.ReadUntil(5000, 10s);
    REQUIRE(got.data.size() == 5000);
    auto more = client.ReadUntil(1, kQuiet);
    CHECK(more.timed_out);
    CHECK(more.data.empty());
    auto s = net.Stats();
    CHECK(s.stalled == 1);
    CHECK(s.cuts == 1);
    CHECK(s.active == 1);
    CHECK(source.end_errors().empty());  // the server's side is held open too
  }
  // The client gives up and closes: flakynet lets the connection go.
  CHECK(net.WaitForStats([](const auto& s) { return s.active == 0; }).stalled == 0);
}

TEST_CASE("an unreachable target resets the client", "[flakynet]") {
  uint16_t dead_port = 0;
  {
    LoopbackServer gone(LoopbackServer::Mode::kEcho);  // grab a free port, then free it
    dead_port = gone.port();
  }
  auto net = FlakynetProcess::ToPort(dead_port);
  LoopbackSocket client(net.port());
  CHECK(client.ReadUntil(1, 10s).error == ECONNRESET);
  CHECK(net.WaitForStats([](const auto& s) { return s.active == 0; }).connections == 1);
}

TEST_CASE_METHOD(EchoLink, "control 'cut reset' and 'cut stall' cut open connections at once",
                 "[flakynet]") {
  LoopbackSocket first(net.port());
  REQUIRE(first.RoundTrip("hello"));
  CHECK(net.Control("cut stall") == "ok 1");
  REQUIRE(first.SendAll("anyone?") == 0);
  CHECK(first.ReadUntil(1, kQuiet).timed_out);
  CHECK(net.Stats().stalled == 1);

  // A new connection works (a stall cut is per connection, not a blackout)...
  LoopbackSocket second(net.port());
  REQUIRE(second.RoundTrip("again"));
  // ...until reset: both the stalled and the live connection get RST.
  CHECK(net.Control("cut reset") == "ok 2");
  CHECK(second.ReadUntil(1, 10s).error == ECONNRESET);
  CHECK(first.ReadUntil(1, 10s).error == ECONNRESET);
  CHECK(net.Stats().cuts == 3);
  CHECK(net.Control("cut sideways").rfind("error", 0) == 0);
  CHECK(net.Stop() == 0);
}

TEST_CASE_METHOD(EchoLink, "global cut scope cuts once, at the Nth byte over all connections",
                 "[flakynet]") {
  net.ControlOk("set cut_scope global");
  net.ControlOk("set cut_after_down 1500");

  LoopbackSocket a(net.port());
  REQUIRE(a.SendAll(std::string(1000, 'a')) == 0);
  CHECK(a.ReadUntil(1000, 10s).data.size() == 1000);
  LoopbackSocket b(net.port());
  REQUIRE(b.SendAll(std::string(1000, 'b')) == 0);
  auto got = b.ReadUntil(1000, 10s);
  CHECK(got.data.size() == 500);  // 1000 + 500 = the global 1500th byte
  CHECK(got.error == ECONNRESET);
  // One-shot: the counter is disarmed, later traffic passes.
  REQUIRE(a.SendAll(std::string(4000, 'a')) == 0);
  CHECK(a.ReadUntil(4000, 10s).data.size() == 4000);
  LoopbackSocket c(net.port());
  REQUIRE(c.SendAll(std::string(4000, 'c')) == 0);
  CHECK(c.ReadUntil(4000, 10s).data.size() == 4000);
  CHECK(net.Stats().cuts == 1);
}

TEST_CASE("random cuts of a profile happen where the seeded schedule says", "[flakynet]") {
  constexpr uint64_t kBody = 70'000;
  LoopbackServer source(LoopbackServer::Mode::kSource, kBody);
  // damascus' cuts, without its slowness or blackouts so the test stays fast.
  auto net = FlakynetProcess::ToPort(
      source.port(), {"--profile", "damascus", "--seed", "42", "--rate", "0", "--delay", "0",
                      "--set", "blackout_every_max=0", "--set", "cut_chance=0.5"});
  constexpr uint64_t kConnections = 8;
  std::string dump = net.Control("schedule 1 " + std::to_string(kConnections));
  int cuts_seen = 0;
  for (uint64_t i = 0; i < kConnections; ++i) {
    LoopbackSocket client(net.port());
    std::string key = "{\"connection\":" + std::to_string(i) + ",";
    size_t at = dump.find(key);
    INFO("connection " << i << " schedule " << dump);
    if (at == std::string::npos) {
      CHECK(client.ReadUntil(kBody, 10s).data.size() == kBody);
      continue;
    }
    ++cuts_seen;
    std::string entry = dump.substr(at, dump.find('}', at) - at);
    uint64_t after = FlakynetProcess::Field(entry, "after_bytes");
    if (entry.find("\"reset\"") != std::string::npos) {
      auto got = client.ReadUntil(kBody, 10s);
      CHECK(got.data.size() == after);
      CHECK(got.error == ECONNRESET);
    } else {
      CHECK(client.ReadUntil(after, 10s).data.size() == after);
      CHECK(client.ReadUntil(1, kQuiet).timed_out);  // stalled: no more data, no close
    }
  }
  CHECK(cuts_seen > 0);  // seed 42 with a 50% chance cuts some of the 8: the test bites
  CHECK(net.Stats().cuts == static_cast<uint64_t>(cuts_seen));
}

// flakynet forwards bytes faithfully, counts them, and never beats its own bandwidth cap
// or latency. Real sockets on 127.0.0.1, a tiny server inside the test.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "echo_link.h"
#include "flakynet_process.h"
#include "loopback_server.h"
#include "loopback_socket.h"

using namespace mano::test;
using namespace std::chrono_literals;

namespace {

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = mano::test::PatternByte(i);
  return s;
}

}  // namespace

TEST_CASE_METHOD(EchoLink, "bytes are forwarded unchanged and counted exactly both ways",
                 "[flakynet]") {
  LoopbackSocket client(net.port());
  std::string payload = Pattern(300'000);
  std::thread sender([&] { client.SendAll(payload); });
  auto got = client.ReadUntil(payload.size(), 10s);
  sender.join();
  REQUIRE(got.data.size() == payload.size());
  CHECK(got.data == payload);

  auto s = net.Stats();
  CHECK(s.bytes_up == payload.size());
  CHECK(s.bytes_down == payload.size());
  CHECK(s.connections == 1);
  CHECK(s.active == 1);
  CHECK(s.cuts == 0);
  CHECK(net.Stop() == 0);  // SIGTERM ends it cleanly (exit status 0, sanitizers quiet)
}

TEST_CASE("a late reader loses nothing: flakynet holds back, then resumes", "[flakynet]") {
  // More than the client's small buffer, flakynet's socket buffer (4 MiB at most here) and
  // its 1 MiB queue together.
  constexpr size_t kTotal = 8'000'000;
  LoopbackServer source(LoopbackServer::Mode::kSource, kTotal);
  auto net = FlakynetProcess::ToPort(source.port(), {"--delay-down", "5"});
  LoopbackSocket client(net.port(), {.receive_buffer = 64 * 1024});
  // Wait until everything that fits in buffers has piled up, without reading.
  net.WaitForStats([](const auto& s) { return s.bytes_down > 0; });
  std::this_thread::sleep_for(300ms);
  auto stuck = net.Stats();
  CHECK(stuck.bytes_down < kTotal);  // the client's buffer is full: delivery waits
  auto got = client.ReadUntil(kTotal, 10s);
  CHECK(got.data.size() == kTotal);
  CHECK(got.data == Pattern(kTotal));
  CHECK(net.Stats().bytes_down == kTotal);
}

TEST_CASE_METHOD(EchoLink, "a half-close passes through and the connection ends cleanly",
                 "[flakynet]") {
  {
    LoopbackSocket client(net.port());
    REQUIRE(client.SendAll("last words") == 0);
    client.ShutdownWrite();
    auto got = client.ReadUntil(1000, 10s);
    CHECK(got.data == "last words");
    CHECK(got.closed);  // the echo server saw EOF, closed, and that came back to us
  }
  REQUIRE(echo.WaitForEnded(1, 10s));
  CHECK(echo.end_errors() == std::vector<int>{0});
}

TEST_CASE_METHOD(EchoLink,
                 "requests counts HTTP/1.1 request lines going up, even split across writes",
                 "[flakynet]") {
  LoopbackSocket client(net.port());
  std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\n\r\n";
  size_t split = two.find("HTTP/1.1\r\n", 20) + 4;  // in the middle of the second marker
  REQUIRE(client.SendAll(two.substr(0, split)) == 0);
  REQUIRE(client.ReadUntil(split, 10s).data.size() == split);
  REQUIRE(client.SendAll(two.substr(split)) == 0);
  REQUIRE(client.ReadUntil(two.size() - split, 10s).data.size() == two.size() - split);

  auto s = net.Stats();
  // The echoed copy went down: request lines are counted upstream only.
  CHECK(s.requests == 2);
  CHECK(s.Requests("GET /a") == 1);
  CHECK(s.Requests("POST /b") == 1);
  net.ControlOk("reset-stats");
  CHECK(net.Stats().requests == 0);
  CHECK(net.Stats().paths.empty());
}

TEST_CASE_METHOD(
    EchoLink, "paths counts requests by method and path: line split, query dropped, body skipped",
    "[flakynet]") {
  LoopbackSocket client(net.port());
  // The second request line arrives in three writes, cut inside its path; the first
  // request's body (700 bytes, by its Content-Length) is passed over, not read as a request.
  const std::string body(700, 'x');
  const std::string all = "POST /v1/submit?x=1 HTTP/1.1\r\nContent-Length: 700\r\n\r\n" + body +
                          "POST /v1/submit HTTP/1.1\r\n\r\nGET /v1/events?after=3 HTTP/1.1\r\n\r\n";
  const size_t second = all.find("POST", 10);
  size_t sent = 0;
  for (const size_t cut : {second + 8, second + 12, all.size()}) {
    REQUIRE(client.SendAll(all.substr(sent, cut - sent)) == 0);
    REQUIRE(client.ReadUntil(cut - sent, 10s).data.size() == cut - sent);
    sent = cut;
  }
  const auto s = net.Stats();
  CHECK(s.requests == 3);
  CHECK(s.Requests("POST /v1/submit") == 2);
  CHECK(s.Requests("GET /v1/events") == 1);
  CHECK(s.paths.size() == 2);
}

TEST_CASE("latency: no byte arrives before the configured delay", "[flakynet]") {
  LoopbackServer echo(LoopbackServer::Mode::kEcho);
  auto net = FlakynetProcess::ToPort(echo.port(), {"--delay-up", "120", "--delay-down", "180"});
  LoopbackSocket client(net.port());
  for (int round = 0; round < 3; ++round) {
    auto sent_at = std::chrono::steady_clock::now();
    REQUIRE(client.SendAll("ping") == 0);
    auto got = client.ReadUntil(4, 10s);
    auto elapsed = std::chrono::steady_clock::now() - sent_at;
    REQUIRE(got.data == "ping");
    // A lower bound only: a slow machine can add time, never remove it.
    CHECK(elapsed >= 300ms);
  }
}

TEST_CASE("rate cap: delivered bytes never exceed rate * time + burst", "[flakynet]") {
  constexpr uint64_t kRate = 400'000;  // bytes per second
  constexpr uint64_t kBurst = 4'000;
  constexpr size_t kTotal = 300'000;
  LoopbackServer source(LoopbackServer::Mode::kSource, kTotal);
  auto net = FlakynetProcess::ToPort(
      source.port(), {"--rate-down", std::to_string(kRate), "--burst", std::to_string(kBurst)});
  net.ControlOk("reset-stats");  // the bucket holds at most kBurst from here on
  LoopbackSocket client(net.port());

  std::thread reader([&] {
    auto got = client.ReadUntil(kTotal, 10s);
    CHECK(got.data == Pattern(kTotal));
  });
  int samples = 0;
  auto give_up = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    auto s = net.Stats();
    // clock_ms and since_ms are floored: allow for the one millisecond that can hide.
    uint64_t window_ms = s.clock_ms - s.since_ms + 1;
    CHECK(s.bytes_down <= kRate * window_ms / 1000 + kBurst);
    ++samples;
    if (s.bytes_down >= kTotal) break;
    std::this_thread::sleep_for(20ms);
  }
  reader.join();
  CHECK(samples > 3);  // the transfer took several windows, so the cap was really tested
}

TEST_CASE("rate cap holds for uploads too, shared by all connections", "[flakynet]") {
  constexpr uint64_t kRate = 300'000;
  constexpr uint64_t kBurst = 3'000;
  constexpr size_t kEach = 100'000;
  LoopbackServer sink(LoopbackServer::Mode::kSource, 0);
  auto net = FlakynetProcess::ToPort(sink.port(), {"--set", "rate_up=" + std::to_string(kRate),
                                                   "--set", "burst=" + std::to_string(kBurst)});
  net.ControlOk("reset-stats");
  LoopbackSocket a(net.port());
  LoopbackSocket b(net.port());
  std::thread ta([&] { a.SendAll(Pattern(kEach)); });
  std::thread tb([&] { b.SendAll(Pattern(kEach)); });
  auto give_up = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    auto s = net.Stats();
    CHECK(s.bytes_up <= kRate * (s.clock_ms - s.since_ms + 1) / 1000 + kBurst);
    if (s.bytes_up >= 2 * kEach) break;
    std::this_thread::sleep_for(20ms);
  }
  ta.join();
  tb.join();
  CHECK(net.Stats().bytes_up == 2 * kEach);
}

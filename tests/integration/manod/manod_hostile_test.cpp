// Hostile requests from a worker with a valid token (issue 12): bodies nested millions of
// levels deep, and uploads used to amplify reads or fill the disk.
// The real manod over loopback; every request bounded by the client's 30 s timeout, so a
// server that hangs fails the test instead of hanging it.
#include <thread>

#include "mano/sync/answer.h"
#include "mano/sync/codec.h"
#include "mano/sync/limits.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

std::string Nested(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

struct Server {
  ManodProcess server;
  Server() : server(Make()) {}
  static ManodProcess::Options Make() {
    ManodProcess::Options o;
    return o;
  }
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
};

void CheckTooDeep(const Reply& r) {
  INFO(r.body);
  CHECK(r.status == 400);
  CHECK(ErrorOf(r).code == "too_deep");
  CHECK(ErrorOf(r).message.find(std::to_string(mano::sync::kMaxJsonDepth)) != std::string::npos);
}

}  // namespace

// Before: the error path re-walked the body copying a growing path at every level, so 400,000
// levels took 16 s and two million (134 bytes of zstd) over 13 CPU-minutes per request.
TEST_CASE("a body nested deeper than the limit is refused at once, plain or zstd") {
  Server s;
  Client alice = s.Alice();
  // Half a million levels: just under the 1 MiB body limit.
  CheckTooDeep(alice.http.Post("/v1/submit", alice.token, Nested(500000)));
  CheckTooDeep(alice.http.Post("/v1/claim", alice.token, "{\"key\":" + Nested(500000) + "}"));
  const std::string bomb = mano::sync::Compress(Nested(2000000));
  REQUIRE(bomb.size() < 1000);
  CheckTooDeep(alice.http.Post("/v1/submit", alice.token, bomb, {"Content-Encoding: zstd"}));
  // At the limit a body is read as usual (and refused for what it says, not its depth).
  std::string deepest = "{\"results\":" + Nested(mano::sync::kMaxJsonDepth - 1) + "}";
  Reply r = alice.http.Post("/v1/submit", alice.token, deepest);
  CHECK(r.status == 400);
  CHECK(ErrorOf(r).code != "too_deep");
}

TEST_CASE("four nesting bombs at once leave the server free for others") {
  Server s;
  Client alice = s.Alice();
  const std::string bomb = mano::sync::Compress(Nested(2000000));
  std::vector<Reply> replies(4);
  std::vector<std::thread> threads;
  for (auto& reply : replies) {
    threads.emplace_back([&] {
      try {
        reply = alice.http.Post("/v1/submit", alice.token, bomb, {"Content-Encoding: zstd"});
      } catch (const std::exception&) {
        reply.status = -1;  // timed out: the server was stuck on it
      }
    });
  }
  // Bob, meanwhile, is served (a stuck server fails this by the client's timeout).
  Reply me = Http(s.server.url()).Get("/v1/me", s.server.Token("bob"));
  for (auto& t : threads) t.join();
  CHECK(me.status == 200);
  for (const auto& reply : replies) CheckTooDeep(reply);
}

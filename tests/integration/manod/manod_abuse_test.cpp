// Hostile requests from a worker with a valid token (issue 12): bodies nested millions of
// levels deep, and uploads used to amplify reads or fill the disk.
// The real manod over loopback; every request bounded by the client's 30 s timeout, so a
// server that hangs fails the test instead of hanging it.

#include <thread>

#include "mano/sync/answer.h"
#include "mano/sync/codec.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/limits.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

std::string Nested(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

// The sample tasks, and four of kind "k" (a score 0..4 and a short note). A request rate high
// enough for the quota tests.
struct Server {
  ManodProcess server;
  Server() : server(Make()) {
    server.Import(
        WriteFile(server.dir(), "k.jsonl",
                  {TaskLine("k1", "k", "refuse", 600000), TaskLine("k2", "k", "refuse", 600000),
                   TaskLine("k3", "k", "refuse", 600000), TaskLine("k4", "k", "refuse", 600000)}));
    server.Start();
  }
  static ManodProcess::Options Make() {
    ManodProcess::Options o;
    o.start = false;
    o.serve_args = {"--rate", "1000", "--burst", "1000"};
    return o;
  }
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
  Client Bob() { return Client{Http(server.url()), server.Token("bob")}; }
  // One number from manod's database (read beside the running server).
  int64_t Count(const std::string& sql) { return server.QueryInt(sql); }
};

// POST /v1/uploads for `length` bytes; the reply as it came.
Reply Create(const Client& c, size_t length) {
  return c.http.Post("/v1/uploads", c.token, "",
                     {"Upload-Length: " + std::to_string(length), "Tus-Resumable: 1.0.0"});
}

Reply Patch(const Client& c, const std::string& id, const std::string& bytes) {
  return c.http.Send("PATCH", "/v1/uploads/" + id, c.token, bytes,
                     {"Tus-Resumable: 1.0.0", "Content-Type: application/offset+octet-stream",
                      "Upload-Offset: 0"});
}

std::string IdOf(const Reply& created) {
  const std::string path = created.Header("location");
  return path.substr(path.rfind('/') + 1);
}

// A complete upload of `bytes`; returns its id.
std::string Upload(const Client& c, const std::string& bytes) {
  Reply created = Create(c, bytes.size());
  REQUIRE(created.status == 201);
  REQUIRE(Patch(c, IdOf(created), bytes).status == 204);
  return IdOf(created);
}

int HeadStatus(const Client& c, const std::string& id) {
  return static_cast<int>(
      c.http.Send("HEAD", "/v1/uploads/" + id, c.token, {}, {"Tus-Resumable: 1.0.0"}).status);
}

std::string ByUpload(const std::string& a, const std::string& key, const std::string& id) {
  return "{\"a\":\"" + a + "\",\"k\":\"" + key + "\",\"u\":\"" + id + "\"}";
}

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

// Before: one 64 MiB upload named by 60 results in each of 4 parallel submits was read 240
// times under the store's lock (GET /v1/me waited 26.9 s), and uploads were never deleted.
TEST_CASE("an upload serves one result; its bytes go once it does") {
  Server s;
  Client alice = s.Alice();
  auto claim = alice.Claim("c", 3, "k");
  REQUIRE(claim.assignments.size() == 3);
  const std::string a1 = claim.assignments[0].id, a2 = claim.assignments[1].id,
                    a3 = claim.assignments[2].id;
  const std::string answer = "{\"score\":3}";
  const std::string u1 = Upload(alice, answer);
  auto first = alice.Submit("{\"results\":[" + ByUpload(a1, "r1", u1) + "]}");
  REQUIRE(first.receipts.size() == 1);
  CHECK(first.receipts[0].status == ReceiptStatus::kAccepted);
  CHECK(first.receipts[0].answer_hash == mano::sync::Sha256Hex(answer));
  // Another result naming it is refused, saying why.
  auto second = alice.Submit("{\"results\":[" + ByUpload(a2, "r2", u1) + "]}");
  CHECK(second.receipts[0].status == ReceiptStatus::kInvalid);
  CHECK(second.receipts[0].error.find("results[0].u: this upload already serves another result") ==
        0);
  // The retry of the result it serves is recognised (the bytes are gone: its stored hash).
  auto retry = alice.Submit("{\"results\":[" + ByUpload(a1, "r1", u1) + "]}");
  CHECK(retry.receipts[0].status == ReceiptStatus::kDuplicate);
  CHECK(retry.receipts[0].answer_hash == first.receipts[0].answer_hash);
  CHECK(HeadStatus(alice, u1) == 200);
  // Twice in one request: the second is refused before anything is read.
  const std::string u2 = Upload(alice, answer);
  auto twice =
      alice.Submit("{\"results\":[" + ByUpload(a2, "r2", u2) + "," + ByUpload(a3, "r3", u2) + "]}");
  REQUIRE(twice.receipts.size() == 2);
  CHECK(twice.receipts[0].status == ReceiptStatus::kAccepted);
  CHECK(twice.receipts[1].status == ReceiptStatus::kInvalid);
  CHECK(twice.receipts[1].error.find("results[1].u: an earlier result of this request") == 0);
  // Both answers live with their results; the uploads' bytes are gone from the database.
  CHECK(s.Count("SELECT COUNT(*) FROM upload_chunks") == 0);
  CHECK(s.Count("SELECT COUNT(*) FROM results WHERE upload_id IS NOT NULL") == 2);
  // An upload over the 4 MiB JSON body limit is read all the same (an uploaded answer may be
  // 64 MiB): one that is not JSON is refused for that, not for its size.
  const std::string u3 = Upload(alice, std::string((4u << 20) + 1, ' '));
  auto not_json = alice.Submit("{\"results\":[" + ByUpload(a3, "r3", u3) + "]}");
  CHECK(not_json.receipts[0].status == ReceiptStatus::kInvalid);
  CHECK(not_json.receipts[0].error.find("results[0].u: ") == 0);
  CHECK(not_json.receipts[0].error.find("JSON") != std::string::npos);
  CHECK(not_json.receipts[0].error.find("larger") == std::string::npos);
}

TEST_CASE("open uploads are limited per worker, in number and in bytes") {
  Server s;
  Client alice = s.Alice(), bob = s.Bob();
  const std::string answer = "{\"score\":1}";
  std::vector<std::string> ids;
  for (size_t i = 0; i < mano::sync::kMaxOpenUploads; ++i) {
    Reply r = Create(alice, answer.size());
    REQUIRE(r.status == 201);
    ids.push_back(IdOf(r));
  }
  Reply refused = Create(alice, answer.size());
  CHECK(refused.status == 429);
  CHECK(ErrorOf(refused).code == "upload_quota");
  CHECK(ErrorOf(refused).field == "Upload-Length");
  CHECK_FALSE(refused.Header("retry-after").empty());
  // The quota is alice's: bob may still start one.
  CHECK(Create(bob, 10).status == 201);
  // An upload a result names is no longer open: it frees its place.
  auto claim = alice.Claim("c", 1, "k");
  REQUIRE(claim.assignments.size() == 1);
  REQUIRE(Patch(alice, ids[0], answer).status == 204);
  auto used =
      alice.Submit("{\"results\":[" + ByUpload(claim.assignments[0].id, "q1", ids[0]) + "]}");
  CHECK(used.receipts[0].status == ReceiptStatus::kAccepted);
  CHECK(Create(alice, answer.size()).status == 201);
  CHECK(Create(alice, answer.size()).status == 429);
  // Bytes: declared lengths count as soon as an upload starts (bob has 10 bytes open).
  const size_t max = mano::sync::kMaxUploadBytes;
  for (size_t open = 10; open + max <= mano::sync::kMaxOpenUploadBytes; open += max) {
    REQUIRE(Create(bob, max).status == 201);
  }
  Reply full = Create(bob, max);
  CHECK(full.status == 429);
  CHECK(ErrorOf(full).code == "upload_quota");
}

TEST_CASE("an upload no result names expires after a day; one that serves a result stays") {
  Server s;
  Client alice = s.Alice();
  auto claim = alice.Claim("c", 1, "k");
  REQUIRE(claim.assignments.size() == 1);
  const std::string a = claim.assignments[0].id;
  const std::string answer = "{\"score\":2}";
  const std::string used = Upload(alice, answer);
  CHECK(alice.Submit("{\"results\":[" + ByUpload(a, "e1", used) + "]}").receipts[0].status ==
        ReceiptStatus::kAccepted);
  const std::string complete = Upload(alice, answer);
  Reply started = Create(alice, 100);
  REQUIRE(started.status == 201);
  const std::string partial = IdOf(started);
  REQUIRE(Patch(alice, partial, "12345").status == 204);
  REQUIRE(s.Count("SELECT COUNT(*) FROM upload_chunks") == 2);
  // A minute short of a day: all there.
  s.server.AdvanceClock(mano::sync::kUploadExpiryMs - 60000);
  CHECK(HeadStatus(alice, partial) == 200);
  CHECK(HeadStatus(alice, complete) == 200);
  // A minute past: the open ones are gone, from the database too; the used one stays.
  s.server.AdvanceClock(120000);
  CHECK(HeadStatus(alice, partial) == 404);
  CHECK(HeadStatus(alice, complete) == 404);
  CHECK(HeadStatus(alice, used) == 200);
  CHECK(s.Count("SELECT COUNT(*) FROM upload_chunks") == 0);
  CHECK(s.Count("SELECT COUNT(*) FROM uploads") == 1);
  auto again = alice.Submit("{\"results\":[" + ByUpload(a, "e1", used) + "]}");
  CHECK(again.receipts[0].status == ReceiptStatus::kDuplicate);
}

// Found by fuzz_manod_http: error messages quote the request (an unknown path), and a path
// that is not UTF-8 made the error body invalid JSON, which no client can read.
TEST_CASE("an error reply quoting bytes that are not UTF-8 is still valid JSON") {
  Server s;
  LoopbackSocket sock(s.server.port());
  sock.Send("GET /v1/\x9b\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string reply = sock.ReadAll();
  INFO(reply);
  REQUIRE(reply.rfind("HTTP/1.1 404", 0) == 0);
  const std::string body = reply.substr(reply.find("\r\n\r\n") + 4);
  CHECK(mano::sync::ErrorBody::FromJson(body).code == "not_found");
}

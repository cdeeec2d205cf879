// Every limit manod puts on what a client sends: body size, zstd bombs, batch length, field
// lengths, UTF-8, content encodings and the per-worker request rate. Never a crash: the server
// still answers /v1/health after each test.
#include <zstd.h>

#include "mano/sync/codec.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

struct Server {
  ManodProcess server;
  explicit Server(std::vector<std::string> serve_args = {}) : server(Make(serve_args)) {
    server.Import(
        WriteFile(server.dir(), "t.jsonl",
                  {TaskLine("t1", "k", "refuse", 600000), TaskLine("t2", "k", "refuse", 600000)}));
    server.Start();
  }
  static ManodProcess::Options Make(std::vector<std::string> serve_args) {
    ManodProcess::Options o;
    o.start = false;
    o.imports.clear();
    o.serve_args = std::move(serve_args);
    return o;
  }
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
  ~Server() {
    // Whatever a test sent, the server is still up.
    CHECK(Http(server.url()).Get("/v1/health", "").status == 200);
  }
};

// A zstd frame that does not declare its content size (streaming), so only the limit
// enforced while decompressing can stop it.
std::string StreamedFrame(const std::string& input) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
  std::string out(ZSTD_compressBound(input.size()), '\0');
  ZSTD_outBuffer ob{out.data(), out.size(), 0};
  ZSTD_inBuffer ib{input.data(), input.size(), 0};
  size_t rc;
  do {
    rc = ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_end);
  } while (rc > 0 && !ZSTD_isError(rc));
  ZSTD_freeCCtx(c);
  out.resize(ob.pos);
  return out;
}

}  // namespace

TEST_CASE("a body over the limit is refused with 413 before it is read") {
  Server s;
  Client alice = s.Alice();
  std::string big(1024 * 1024 + 1, ' ');
  Reply r = alice.http.Post("/v1/submit", alice.token, big);
  CHECK(r.status == 413);
  CHECK(ErrorOf(r).code == "too_large");
  // Chunked, with no Content-Length to refuse up front: drained and refused all the same.
  Reply chunked = alice.http.Post("/v1/submit", alice.token, big, {"Transfer-Encoding: chunked"});
  CHECK(chunked.status == 413);
}

TEST_CASE("a zstd bomb is refused with 413, declared size or not") {
  Server s;
  Client alice = s.Alice();
  std::string zeros(64u << 20, ' ');
  std::string declared = mano::sync::Compress(zeros);
  REQUIRE(declared.size() < 64 * 1024);
  Reply r = alice.http.Post("/v1/submit", alice.token, declared, {"Content-Encoding: zstd"});
  CHECK(r.status == 413);
  CHECK(ErrorOf(r).code == "too_large");
  std::string streamed = StreamedFrame(zeros);
  REQUIRE(streamed.size() < 64 * 1024);
  CHECK(alice.http.Post("/v1/submit", alice.token, streamed, {"Content-Encoding: zstd"}).status ==
        413);
  // A corrupt frame is a bad request, not a crash.
  std::string small = mano::sync::Compress(std::string(1000, 'a'));
  std::string corrupt = small.substr(0, 8) + std::string(40, 'x');
  CHECK(alice.http.Post("/v1/claim", alice.token, corrupt, {"Content-Encoding: zstd"}).status ==
        400);
}

TEST_CASE("zstd both ways: compressed requests accepted, replies compressed when asked") {
  Server s;
  Client alice = s.Alice();
  std::string claim = mano::sync::Compress("{\"key\":\"z\",\"count\":2}");
  Reply r = alice.http.Post("/v1/claim", alice.token, claim,
                            {"Content-Encoding: zstd", "Accept-Encoding: zstd"});
  REQUIRE(r.status == 200);
  CHECK(r.Header("content-encoding") == "zstd");
  auto reply = mano::sync::ClaimReply::FromJson(mano::sync::Decompress(r.body));
  CHECK(reply.assignments.size() == 2);
  // Small replies are not worth it; clients that do not ask get plain JSON.
  Reply small = alice.http.Get("/v1/me", alice.token, {"Accept-Encoding: zstd"});
  CHECK(small.Header("content-encoding").empty());
  Reply plain = alice.http.Post("/v1/claim", alice.token, "{\"key\":\"z\",\"count\":2}");
  CHECK(plain.Header("content-encoding").empty());
  CHECK(mano::sync::ClaimReply::FromJson(plain.body).assignments.size() == 2);
  Reply gzip = alice.http.Post("/v1/claim", alice.token, "xx", {"Content-Encoding: gzip"});
  CHECK(gzip.status == 415);
}

TEST_CASE("a batch over the limit is refused naming results") {
  Server s;
  Client alice = s.Alice();
  std::string body = "{\"results\":[";
  for (int i = 0; i < 501; ++i) body += std::string(i ? "," : "") + "{\"a\":\"1\",\"v\":{}}";
  body += "]}";
  Reply r = alice.http.Post("/v1/submit", alice.token, body);
  CHECK(r.status == 400);
  CHECK(ErrorOf(r).field == "results");
}

TEST_CASE("long fields: ids over 64 bytes are 400, text over max_length is invalid") {
  Server s;
  Client alice = s.Alice();
  Reply r = alice.http.Post("/v1/claim", alice.token,
                            "{\"key\":\"" + std::string(65, 'k') + "\",\"count\":1}");
  CHECK(r.status == 400);
  CHECK(ErrorOf(r).field == "key");
  auto claim = alice.Claim("c", 2);
  std::string a = claim.assignments.at(0).id;
  std::string b = claim.assignments.at(1).id;
  auto reply = alice.Submit("{\"results\":[{\"a\":\"" + a + "\",\"v\":{\"score\":1,\"note\":\"" +
                            std::string(21, 'n') + "\"}}]}");
  CHECK(reply.receipts[0].status == ReceiptStatus::kInvalid);
  CHECK(reply.receipts[0].error.find("v.note") != std::string::npos);
  // Twenty code points of two bytes each fit: the limit counts code points, not bytes.
  std::string twenty;
  for (int i = 0; i < 20; ++i) twenty += "\xc3\xa9";
  auto fits = alice.Submit("{\"results\":[{\"a\":\"" + b + "\",\"v\":{\"score\":1,\"note\":\"" +
                           twenty + "\"}}]}");
  INFO(fits.receipts[0].error);
  CHECK(fits.receipts[0].status == ReceiptStatus::kAccepted);
}

TEST_CASE("invalid UTF-8 is a 400 naming the field") {
  Server s;
  Client alice = s.Alice();
  Reply r = alice.http.Post("/v1/submit", alice.token,
                            "{\"results\":[{\"a\":\"1\",\"v\":{\"note\":\"bad \xff\xfe\"}}]}");
  CHECK(r.status == 400);
  auto error = ErrorOf(r);
  INFO(r.body);
  CHECK_FALSE(error.field.empty());
  CHECK(error.field.find("results[0]") == 0);
  Reply garbage = alice.http.Post("/v1/claim", alice.token, std::string("\x00\x01{[", 4));
  CHECK(garbage.status == 400);
}

TEST_CASE("the per-worker request rate is limited with 429 and Retry-After") {
  Server s({"--rate", "0.01", "--burst", "3"});
  Client alice = s.Alice();
  for (int i = 0; i < 3; ++i) REQUIRE(alice.http.Get("/v1/me", alice.token).status == 200);
  Reply r = alice.http.Get("/v1/me", alice.token);
  CHECK(r.status == 429);
  CHECK(ErrorOf(r).code == "rate_limited");
  CHECK(std::stoi(r.Header("retry-after")) >= 1);
  // The bucket is per worker: bob is not slowed by alice.
  CHECK(Http(s.server.url()).Get("/v1/me", s.server.Token("bob")).status == 200);
}

TEST_CASE("hostile request lines and headers never crash the server") {
  Server s;
  RawSocket a(s.server.port());
  a.Send("GARBAGE\r\n\r\n");
  std::string reply = a.ReadAll();
  CHECK((reply.empty() || reply.rfind("HTTP/1.1 4", 0) == 0));  // MHD may just hang up
  RawSocket b(s.server.port());
  b.Send("GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100000, 'h') + "\r\n\r\n");
  std::string big = b.ReadAll();
  CHECK((big.empty() || big.rfind("HTTP/1.1 4", 0) == 0));
  Client alice = s.Alice();
  CHECK(alice.http.Get("/v1/me", std::string(200, 't')).status == 401);
  CHECK(alice.http.Get("/v1/assets/..%2F..%2Fetc", alice.token).status == 404);
}

// HTTP semantics (RFC 9110) where docs/PROTOCOL.md claims them, against the real manod: ranges
// (invalid ones ignored, 416 past the end, suffix ranges), If-Range, HEAD with Range,
// If-None-Match on assets, Accept-Encoding weights, case-insensitive coding and scheme names,
// Allow on 405, and `t` in error bodies. Raw sockets where libcurl would tidy the request.
#include "mano/sync/codec.h"
#include "mano/sync/crypto_util.h"
#include "manod_fixture.h"

using namespace mano::test;

namespace {

struct Server {
  ManodProcess server;
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
};

// Status line and headers (lower-case names) of a raw reply, and whatever followed them.
struct RawReply {
  std::string status_line;
  std::map<std::string, std::string> headers;
  std::string rest;
};
RawReply ParseRaw(const std::string& bytes) {
  RawReply r;
  const size_t end = bytes.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  r.rest = bytes.substr(end + 4);
  size_t at = bytes.find("\r\n");
  r.status_line = bytes.substr(0, at);
  while (at < end) {
    const size_t next = bytes.find("\r\n", at + 2);
    const std::string line = bytes.substr(at + 2, next - at - 2);
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    at = next;
  }
  return r;
}

}  // namespace

TEST_CASE("Range: invalid ignored (200), past the end 416, suffix and case-insensitive unit") {
  Server s;
  Client alice = s.Alice();
  ClaimedAsset asset(alice);
  REQUIRE(asset.full.body.size() > 600);
  const std::string size = std::to_string(asset.full.body.size());
  for (const char* range : {"bytes=500-100", "bytes=5-4x", "bytes=1-2,4-5", "items=0-9"}) {
    INFO(range);
    Reply r = alice.http.Get(asset.path, alice.token, {std::string("Range: ") + range});
    CHECK(r.status == 200);
    CHECK(r.Header("content-range").empty());
    CHECK((r.body == asset.full.body));
  }
  for (const char* range : {"bytes=99999999999999999999-", "bytes=-0"}) {
    INFO(range);
    Reply r = alice.http.Get(asset.path, alice.token, {std::string("Range: ") + range});
    CHECK(r.status == 416);
    CHECK(r.Header("content-range") == "bytes */" + size);
  }
  Reply suffix = alice.http.Get(asset.path, alice.token, {"Range: bytes=-100"});
  CHECK(suffix.status == 206);
  CHECK((suffix.body == asset.full.body.substr(asset.full.body.size() - 100)));
  const size_t last = asset.full.body.size() - 1;
  CHECK(suffix.Header("content-range") ==
        "bytes " + std::to_string(last - 99) + "-" + std::to_string(last) + "/" + size);
  Reply upper = alice.http.Get(asset.path, alice.token, {"Range: Bytes=0-9"});
  CHECK(upper.status == 206);
  CHECK((upper.body == asset.full.body.substr(0, 10)));
}

TEST_CASE("If-Range: the asset's ETag applies the Range; another tag or a date sends the whole") {
  Server s;
  Client alice = s.Alice();
  ClaimedAsset asset(alice);
  Reply same = alice.http.Get(asset.path, alice.token, {"Range: bytes=10-19", "If-Range: " + asset.etag});
  CHECK(same.status == 206);
  CHECK((same.body == asset.full.body.substr(10, 10)));
  for (const std::string& held : {std::string("\"") + std::string(64, '0') + "\"",
                                  "W/" + asset.etag, std::string("Wed, 21 Oct 2015 07:28:00 GMT")}) {
    INFO(held);
    Reply r = alice.http.Get(asset.path, alice.token, {"Range: bytes=10-19", "If-Range: " + held});
    CHECK(r.status == 200);
    CHECK((r.body == asset.full.body));
  }
}

TEST_CASE("HEAD with Range: the headers a GET would have, and no body") {
  Server s;
  Client alice = s.Alice();
  ClaimedAsset asset(alice);
  for (const std::string& range : {std::string("bytes=10-19"), std::string("bytes=500-100"),
                                   std::string("bytes=99999999-")}) {
    INFO(range);
    LoopbackSocket sock(s.server.port());
    const std::string head = " " + asset.path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             alice.token + "\r\nRange: " + range + "\r\nConnection: close\r\n\r\n";
    sock.Send("HEAD" + head);
    RawReply h = ParseRaw(sock.ReadAll());
    LoopbackSocket sock2(s.server.port());
    sock2.Send("GET" + head);
    RawReply g = ParseRaw(sock2.ReadAll());
    CHECK(h.status_line == g.status_line);
    CHECK(h.rest.empty());
    CHECK(std::to_string(g.rest.size()) == g.headers["content-length"]);
    for (const char* name : {"content-length", "content-range", "etag", "accept-ranges"}) {
      INFO(name);
      CHECK(h.headers[name] == g.headers[name]);
    }
  }
}

TEST_CASE("If-None-Match on an asset: its hash is its ETag; lists and * answer 304") {
  Server s;
  Client alice = s.Alice();
  ClaimedAsset asset(alice);
  for (const std::string& held :
       {asset.etag, "\"x\", " + asset.etag, "W/" + asset.etag, std::string("*")}) {
    INFO(held);
    Reply r = alice.http.Get(asset.path, alice.token, {"If-None-Match: " + held});
    CHECK(r.status == 304);
    CHECK(r.body.empty());
    CHECK(r.Header("etag") == asset.etag);
  }
  // Listed over two field lines, and with a Range (If-None-Match decides first).
  Reply two = alice.http.Get(asset.path, alice.token,
                             {"If-None-Match: \"x\"", "If-None-Match: " + asset.etag,
                              "Range: bytes=0-9"});
  CHECK(two.status == 304);
  Reply other = alice.http.Get(asset.path, alice.token, {"If-None-Match: \"x\", \"y\""});
  CHECK(other.status == 200);
  CHECK((other.body == asset.full.body));
}

TEST_CASE("Accept-Encoding: q=0 refuses zstd, * counts, identity;q=0 forces it, names any case") {
  Server s;
  Client alice = s.Alice();
  const std::string claim = "{\"key\":\"c1\",\"count\":5}";
  auto coding = [&](const std::string& accept) {
    Reply r = alice.http.Post("/v1/claim", alice.token, claim, {"Accept-Encoding: " + accept});
    REQUIRE(r.status == 200);
    if (r.Header("content-encoding") == "zstd") mano::sync::Decompress(r.body);  // decodes
    return r.Header("content-encoding");
  };
  CHECK(coding("zstd") == "zstd");
  CHECK(coding("ZSTD") == "zstd");
  CHECK(coding("gzip, *") == "zstd");
  CHECK(coding("zstd;q=0") == "");
  CHECK(coding("zstd; q=0.0, gzip") == "");
  CHECK(coding("*;q=0, identity") == "");
  CHECK(coding("zstd;q=0.5, identity;q=1") == "");  // identity preferred
  CHECK(coding("gzip") == "");
  // identity refused: even a body too small to gain is sent as zstd.
  Reply small = alice.http.Get("/v1/me", alice.token, {"Accept-Encoding: zstd, identity;q=0"});
  REQUIRE(small.status == 200);
  CHECK(small.Header("content-encoding") == "zstd");
  CHECK(mano::sync::Decompress(small.body).find("\"worker\":\"alice\"") != std::string::npos);
  CHECK(alice.http.Get("/v1/me", alice.token, {"Accept-Encoding: zstd"})
            .Header("content-encoding")
            .empty());
}

TEST_CASE("Content-Encoding ZSTD and the scheme bearer are read case-insensitively") {
  Server s;
  Client alice = s.Alice();
  auto claim = alice.Claim("c1", 1, "relevance");
  REQUIRE(claim.assignments.size() == 1);
  const std::string body = "{\"results\":[{\"a\":\"" + claim.assignments[0].id +
                           "\",\"v\":{\"score\":2}}]}";
  Reply packed = alice.http.Post("/v1/submit", alice.token, mano::sync::Compress(body),
                                 {"Content-Encoding: ZSTD"});
  INFO(packed.body);
  CHECK(packed.status == 200);
  for (const char* scheme : {"bearer ", "BEARER ", "Bearer   "}) {
    INFO(scheme);
    Reply me = alice.http.Get("/v1/me", "", {std::string("Authorization: ") + scheme + alice.token});
    CHECK(me.status == 200);
  }
  Reply basic = alice.http.Get("/v1/me", "", {"Authorization: Basic " + alice.token});
  CHECK(basic.status == 401);
}

TEST_CASE("405 lists HEAD beside GET in Allow; error bodies carry the server's t") {
  Server s;
  Client alice = s.Alice();
  const int64_t before = mano::sync::HealthReply::FromJson(alice.http.Get("/v1/health", "").body).server_time;
  Reply wrong = alice.http.Post("/v1/me", alice.token, "{}");
  CHECK(wrong.status == 405);
  CHECK(wrong.Header("allow") == "GET, HEAD");
  CHECK(alice.http.Get("/v1/claim", alice.token).Header("allow") == "POST");
  CHECK(alice.http.Send("DELETE", "/v1/health", "").Header("allow") == "GET, HEAD");
  // Errors from the handler, from the header check, and from the HTTP layer (413).
  for (const Reply& r : {wrong, alice.http.Get("/v1/me", "nope"), alice.http.Get("/v1/nope", ""),
                         alice.http.Post("/v1/claim", alice.token, "{"),
                         alice.http.Post("/v1/claim", alice.token, std::string(2 << 20, ' '))}) {
    INFO(r.status << " " << r.body);
    const auto error = ErrorOf(r);
    CHECK(!error.code.empty());
    CHECK(error.server_time >= before);
  }
}

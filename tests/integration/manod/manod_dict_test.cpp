// zstd dictionaries on the server (docs/PROTOCOL.md section 13): `manod dict train|add|list`,
// GET /v1/dict/<kind>, and request bodies compressed with a dictionary (decoded with the one
// the frame names, under every usual limit; an unknown id is a 400 naming the dictionary).
#include <zstd.h>

#include <fstream>

#include "mano/sync/codec.h"
#include "mano/sync/zstd_dictionary.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;
using mano::sync::ZstdDictionary;

namespace {

constexpr int kTasks = 40;

struct Server {
  ManodProcess server;
  Server() : server(Make()) {
    server.Import(
        WriteFile(server.dir(), "t.jsonl", TaskLines("t", kTasks, "rate", "refuse", 600000)));
    server.Start();
  }
  static ManodProcess::Options Make() {
    ManodProcess::Options o;
    o.start = false;
    o.imports.clear();
    return o;
  }
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
  int Dict(const std::vector<std::string>& args, std::string* out = nullptr,
           std::string* err = nullptr) {
    std::vector<std::string> all = {"dict"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--db");
    all.push_back(server.db());
    return server.Run(all, out, err);
  }
  ~Server() { CHECK(Http(server.url()).Get("/v1/health", "").status == 200); }
};

// The body of one result as the client builds it (key "<a>:1").
std::string ResultJson(const std::string& a, int i) {
  return "{\"a\":\"" + a + "\",\"k\":\"" + a + ":1\",\"v\":{\"note\":\"looks fine " +
         std::to_string(i % 7) + "\",\"score\":" + std::to_string(i % 5) + "}}";
}

// Claims `n` assignments and submits a result for each (plain JSON). Returns their ids.
std::vector<std::string> SubmitResults(Client& alice, int n, const std::string& key) {
  auto claim = alice.Claim(key, n);
  REQUIRE(claim.assignments.size() == static_cast<size_t>(n));
  std::vector<std::string> ids;
  for (size_t i = 0; i < claim.assignments.size(); ++i) {
    const std::string& a = claim.assignments[i].id;
    auto reply = alice.Submit("{\"results\":[" + ResultJson(a, static_cast<int>(i)) + "]}");
    REQUIRE(reply.receipts.size() == 1);
    CHECK(reply.receipts[0].status == ReceiptStatus::kAccepted);
    ids.push_back(a);
  }
  return ids;
}

std::string WriteBytes(const std::string& dir, const std::string& name, const std::string& b) {
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << b;
  return path;
}

// A dictionary the server has never seen, trained here on look-alike batches.
std::string ForeignDictionary(const std::string& salt) {
  std::vector<std::string> samples;
  for (int i = 0; i < 300; ++i) {
    samples.push_back("{\"results\":[" + ResultJson(salt + std::to_string(i), i) + "]}");
  }
  return ZstdDictionary::Train(samples, 2048);
}

uint32_t IdOf(const std::string& listed_line) {
  return static_cast<uint32_t>(std::stoul(listed_line.substr(0, listed_line.find('\t'))));
}

}  // namespace

TEST_CASE("dict train refuses too few results, then trains, lists and serves the dictionary") {
  Server s;
  Client alice = s.Alice();
  std::string out, err;
  CHECK(s.Dict({"train", "--kind", "rate"}, &out, &err) == 1);
  CHECK(err.find("only 0 results of kind rate") != std::string::npos);
  CHECK(alice.http.Get("/v1/dict/rate", alice.token).status == 404);

  SubmitResults(alice, 30, "c1");
  REQUIRE(s.Dict({"train", "--kind", "rate", "--size", "1024"}, &out, &err) == 0);
  INFO(out << err);
  REQUIRE(s.Dict({"list"}, &out) == 0);
  REQUIRE(out.find("\trate\t") != std::string::npos);
  CHECK(out.find("\tpublished\n") != std::string::npos);
  const uint32_t id = IdOf(out);
  CHECK(id != 0);

  Reply r = alice.http.Get("/v1/dict/rate", alice.token);
  REQUIRE(r.status == 200);
  CHECK(r.Header("content-type") == "application/octet-stream");
  CHECK(r.Header("mano-dict-id") == std::to_string(id));
  CHECK(r.Header("etag") == "W/\"" + std::to_string(id) + "\"");
  const ZstdDictionary served(r.body);
  CHECK(served.id() == id);
  CHECK(r.body.size() <= 1024);

  // Asked with zstd, the bytes may come compressed; they decode to the same dictionary.
  Reply packed = alice.http.Get("/v1/dict/rate", alice.token, {"Accept-Encoding: zstd"});
  REQUIRE(packed.status == 200);
  if (packed.Header("content-encoding") == "zstd") {
    CHECK(mano::sync::Decompress(packed.body) == r.body);
  } else {
    CHECK(packed.body == r.body);
  }
  // A client holding it already gets a 304 without the bytes.
  Reply same = alice.http.Get("/v1/dict/rate", alice.token, {"If-None-Match: " + r.Header("etag")});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  // If-None-Match is a list compared weakly, or * (RFC 9110 section 13.1.2).
  const std::string quoted = "\"" + std::to_string(id) + "\"";
  for (const std::string& held : {"\"1\", " + r.Header("etag"), "W/\"1\",W/" + quoted,
                                  quoted, std::string("*")}) {
    INFO(held);
    CHECK(alice.http.Get("/v1/dict/rate", alice.token, {"If-None-Match: " + held}).status == 304);
  }
  CHECK(alice.http.Get("/v1/dict/rate", alice.token, {"If-None-Match: \"1\", W/\"2\""}).status ==
        200);
  // zstd;q=0 is no zstd.
  CHECK(alice.http.Get("/v1/dict/rate", alice.token, {"Accept-Encoding: zstd;q=0"})
            .Header("content-encoding")
            .empty());
  // Other kinds, bad kinds, and no token.
  CHECK(alice.http.Get("/v1/dict/other", alice.token).status == 404);
  CHECK(alice.http.Get("/v1/dict/a%20b", alice.token).status == 404);
  CHECK(alice.http.Get("/v1/dict/rate", "").status == 401);
}

TEST_CASE("bodies naming a dictionary are decoded with it, under the usual limits") {
  Server s;
  Client alice = s.Alice();
  SubmitResults(alice, 25, "c1");
  std::string out;
  REQUIRE(s.Dict({"train", "--kind", "rate", "--size", "1024"}, &out) == 0);
  Reply got = alice.http.Get("/v1/dict/rate", alice.token);
  REQUIRE(got.status == 200);
  const ZstdDictionary dict(got.body);

  auto claim = alice.Claim("c2", 3);
  REQUIRE(claim.assignments.size() == 3);
  std::string batch = "{\"results\":[";
  for (int i = 0; i < 3; ++i) {
    batch += (i ? "," : "") + ResultJson(claim.assignments[i].id, i);
  }
  batch += "]}";
  const std::string with_dict = mano::sync::Compress(batch, 3, &dict);
  CHECK(with_dict.size() < mano::sync::Compress(batch).size());

  SECTION("a frame compressed with the published dictionary is accepted") {
    Reply r = alice.http.Post("/v1/submit", alice.token, with_dict, {"Content-Encoding: zstd"});
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto reply = mano::sync::SubmitReply::FromJson(r.body);
    REQUIRE(reply.receipts.size() == 3);
    for (const auto& receipt : reply.receipts) CHECK(receipt.status == ReceiptStatus::kAccepted);
  }
  SECTION("an unknown dictionary id is a 400 naming the dictionary; nothing is stored") {
    const ZstdDictionary foreign(ForeignDictionary("x"));
    REQUIRE(foreign.id() != dict.id());
    Reply r = alice.http.Post("/v1/submit", alice.token, mano::sync::Compress(batch, 3, &foreign),
                              {"Content-Encoding: zstd"});
    CHECK(r.status == 400);
    CHECK(ErrorOf(r).code == "unknown_dictionary");
    CHECK(ErrorOf(r).field == "dictionary");
    CHECK(ErrorOf(r).message.find(std::to_string(foreign.id())) != std::string::npos);
    // Sent again without a dictionary, the same results go through.
    auto reply = alice.Submit(batch);
    for (const auto& receipt : reply.receipts) CHECK(receipt.status == ReceiptStatus::kAccepted);
  }
  SECTION("a bomb compressed with the dictionary is still a 413") {
    const std::string bomb = mano::sync::Compress(std::string(64u << 20, ' '), 3, &dict);
    REQUIRE(bomb.size() < 64 * 1024);
    REQUIRE(ZSTD_getDictID_fromFrame(bomb.data(), bomb.size()) == dict.id());
    Reply r = alice.http.Post("/v1/submit", alice.token, bomb, {"Content-Encoding: zstd"});
    CHECK(r.status == 413);
    CHECK(ErrorOf(r).code == "too_large");
  }
}

TEST_CASE("dict add validates; a new dictionary replaces the published one, old ids still decode") {
  Server s;
  Client alice = s.Alice();
  std::string out, err;
  // Not a dictionary; a raw-content "dictionary" without an id; a kind that is not a kind.
  const std::string junk = WriteBytes(s.server.dir(), "junk", std::string(500, 'j'));
  CHECK(s.Dict({"add", "--kind", "rate", junk}, &out, &err) == 1);
  CHECK(err.find("not a zstd dictionary") != std::string::npos);
  const std::string first_bytes = ForeignDictionary("first");
  const std::string first = WriteBytes(s.server.dir(), "first.dict", first_bytes);
  CHECK(s.Dict({"add", "--kind", "bad kind", first}, &out, &err) == 1);
  CHECK(s.Dict({"add", "--kind", "rate", s.server.dir() + "/missing"}, &out, &err) == 1);
  CHECK(s.Dict({"list"}, &out) == 0);
  CHECK(out.empty());

  REQUIRE(s.Dict({"add", "--kind", "rate", first}, &out, &err) == 0);
  const ZstdDictionary old_dict(first_bytes);
  CHECK(IdOf(out) == old_dict.id());
  const std::string second_bytes = ForeignDictionary("second");
  const ZstdDictionary new_dict(second_bytes);
  REQUIRE(new_dict.id() != old_dict.id());
  REQUIRE(s.Dict({"add", "--kind", "rate", WriteBytes(s.server.dir(), "2.dict", second_bytes)},
                 &out) == 0);
  // Adding the same bytes again is harmless; the same id for other bytes is impossible.
  REQUIRE(s.Dict({"add", "--kind", "rate", WriteBytes(s.server.dir(), "2b.dict", second_bytes)},
                 &out) == 0);

  REQUIRE(s.Dict({"list"}, &out) == 0);
  CHECK(out.find(std::to_string(new_dict.id()) + "\trate\t") == 0);  // newest first
  CHECK(out.find("\tpublished\n") != std::string::npos);
  CHECK(out.find(std::to_string(old_dict.id()) + "\trate\t") != std::string::npos);
  CHECK(out.find("\told\n") != std::string::npos);
  Reply r = alice.http.Get("/v1/dict/rate", alice.token);
  REQUIRE(r.status == 200);
  CHECK(r.Header("mano-dict-id") == std::to_string(new_dict.id()));
  CHECK(r.body == second_bytes);
  // The old ETag no longer matches: a client holding the old one gets the new bytes.
  CHECK(alice.http
            .Get("/v1/dict/rate", alice.token,
                 {"If-None-Match: W/\"" + std::to_string(old_dict.id()) + "\""})
            .status == 200);

  // A client still holding the old dictionary is understood.
  auto claim = alice.Claim("c", 2);
  REQUIRE(claim.assignments.size() == 2);
  const std::string batch = "{\"results\":[" + ResultJson(claim.assignments[0].id, 1) + "," +
                            ResultJson(claim.assignments[1].id, 2) + "]}";
  Reply sent = alice.http.Post("/v1/submit", alice.token, mano::sync::Compress(batch, 3, &old_dict),
                               {"Content-Encoding: zstd"});
  INFO(sent.body);
  CHECK(sent.status == 200);
}

// Cut transfers resumed: an asset download cut at several offsets and resumed with Range (a
// Range that cannot be read is ignored), and a tus-style upload cut mid-PATCH at several
// offsets (raw socket: half a body, then hang up) and resumed from the offset HEAD reports;
// then a result that refers to the upload.
#include "mano/sync/answer.h"
#include "mano/sync/crypto_util.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

// A task whose answer is one long text (transcripts of an hour of audio are this size).
const char kLongTask[] =
    "{\"id\":\"long-1\",\"kind\":\"long\",\"form\":{\"title\":\"t\",\"fields\":[{\"name\":"
    "\"text\",\"type\":\"text\",\"required\":true,\"max_length\":1000000}]},"
    "\"policy\":{\"late\":\"refuse\",\"lease_ms\":600000}}";

struct Server {
  ManodProcess server{ManodProcess::Options{.start = false}};
  Server() {
    server.Import(WriteFile(server.dir(), "long.jsonl", {kLongTask}));
    server.Start();
  }
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
};

// PATCH over a raw socket that sends only `send` of `bytes` and hangs up.
void CutPatch(uint16_t port, const std::string& path, const std::string& token, int64_t offset,
              const std::string& bytes, size_t send) {
  LoopbackSocket s(port);
  s.Send("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
         "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
         "Upload-Offset: " +
         std::to_string(offset) + "\r\nContent-Length: " + std::to_string(bytes.size()) +
         "\r\n\r\n" + bytes.substr(0, send));
  s.Close();
}

Reply Patch(const Client& c, const std::string& path, int64_t offset, const std::string& bytes,
            bool checksum = true) {
  std::vector<std::string> h = {"Tus-Resumable: 1.0.0",
                                "Content-Type: application/offset+octet-stream",
                                "Upload-Offset: " + std::to_string(offset)};
  if (checksum) {
    h.push_back("Upload-Checksum: sha256 " + mano::sync::Base64Encode(mano::sync::Sha256(bytes)));
  }
  return c.http.Send("PATCH", path, c.token, bytes, h);
}

int64_t HeadOffset(const Client& c, const std::string& path) {
  Reply r = c.http.Send("HEAD", path, c.token, {}, {"Tus-Resumable: 1.0.0"});
  REQUIRE(r.status == 200);
  CHECK(r.Header("tus-resumable") == "1.0.0");
  return std::stoll(r.Header("upload-offset"));
}

}  // namespace

TEST_CASE("an asset download cut at several offsets resumes with Range") {
  Server s;
  Client alice = s.Alice();
  ClaimedAsset asset(alice);
  const auto& ref = asset.ref;
  const std::string& path = asset.path;
  const Reply& full = asset.full;
  REQUIRE(static_cast<int64_t>(full.body.size()) == ref.size);
  CHECK(mano::sync::Sha256Hex(full.body) == ref.hash);
  CHECK(full.Header("accept-ranges") == "bytes");
  CHECK(full.Header("content-type") == ref.type);

  for (int64_t cut : {int64_t{1}, int64_t{100}, ref.size / 2, ref.size - 1}) {
    // The cut: a raw GET whose line drops before the reply is read (the server must cope),
    // then the client resumes from the `cut` bytes it holds.
    {
      LoopbackSocket sock(s.server.port());
      sock.Send("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token +
                "\r\n\r\n");
      sock.Close();
    }
    std::string have = full.body.substr(0, static_cast<size_t>(cut));
    Reply rest = alice.http.Get(path, alice.token, {"Range: bytes=" + std::to_string(cut) + "-"});
    REQUIRE(rest.status == 206);
    CHECK(rest.Header("content-range") == "bytes " + std::to_string(cut) + "-" +
                                              std::to_string(ref.size - 1) + "/" +
                                              std::to_string(ref.size));
    CHECK(mano::sync::Sha256Hex(have + rest.body) == ref.hash);
  }
  Reply middle = alice.http.Get(path, alice.token, {"Range: bytes=10-19"});
  CHECK(middle.status == 206);
  CHECK(middle.body == full.body.substr(10, 10));
  Reply past =
      alice.http.Get(path, alice.token, {"Range: bytes=" + std::to_string(ref.size) + "-"});
  CHECK(past.status == 416);
  CHECK(past.Header("content-range") == "bytes */" + std::to_string(ref.size));
  CHECK(alice.http.Get("/v1/assets/" + std::string(64, '0'), alice.token).status == 404);
}

// RFC 9110 section 14.2: a Range that cannot be read is ignored; the whole asset comes.
TEST_CASE("an invalid Range is ignored: 200 and the whole asset") {
  Server s;
  Client alice = s.Alice();
  ClaimedAsset asset(alice);
  const auto& ref = asset.ref;
  const Reply& full = asset.full;
  REQUIRE(ref.size > 10);
  // (A suffix range `bytes=-5` is served, and a first byte past the end is 416:
  // manod_http_semantics_test.)
  for (const char* range : {"bytes=5-3", "bytes=5-4x", "bytes=x-", "bytes=1-2,4-5",
                            "items=1-2"}) {
    INFO(range);
    Reply r = alice.http.Get(asset.path, alice.token, {std::string("Range: ") + range});
    CHECK(r.status == 200);
    CHECK(r.Header("content-range").empty());
    CHECK(r.body.size() == full.body.size());
    CHECK((r.body == full.body));
  }
  // A valid one still works, down to a single byte.
  Reply one = alice.http.Get(asset.path, alice.token, {"Range: bytes=5-5"});
  CHECK(one.status == 206);
  CHECK(one.Header("content-range") == "bytes 5-5/" + std::to_string(ref.size));
  CHECK((one.body == full.body.substr(5, 1)));
}

TEST_CASE("an upload cut at several offsets resumes from HEAD, then a result refers to it") {
  Server s;
  Client alice = s.Alice();
  auto claim = alice.Claim("long", 1, "long");
  REQUIRE(claim.assignments.size() == 1);
  std::string a = claim.assignments[0].id;

  mano::sync::Answer answer;
  std::string text;
  for (int i = 0; text.size() < 400000; ++i) text += "line " + std::to_string(i) + " of it. ";
  answer.Set("text", text);
  std::string bytes = answer.ToJson();
  REQUIRE(bytes.size() > 256 * 1024);

  // Inline, an answer this big is refused: it must go by upload.
  auto inline_reply = alice.Submit("{\"results\":[{\"a\":\"" + a + "\",\"v\":" + bytes + "}]}");
  CHECK(inline_reply.receipts[0].status == ReceiptStatus::kInvalid);
  CHECK(inline_reply.receipts[0].error.find("upload") != std::string::npos);

  Reply created =
      alice.http.Post("/v1/uploads", alice.token, "",
                      {"Upload-Length: " + std::to_string(bytes.size()), "Tus-Resumable: 1.0.0"});
  REQUIRE(created.status == 201);
  std::string path = created.Header("location");
  REQUIRE(path.rfind("/v1/uploads/", 0) == 0);
  CHECK(HeadOffset(alice, path) == 0);

  // Three chunks; each first sent by a PATCH cut partway through. The server keeps the bytes
  // that arrived (tus 1.0: it SHOULD), so HEAD says where the cut came and the rest of the
  // chunk goes from there.
  std::vector<size_t> ends = {1000, 150000, bytes.size()};
  int64_t offset = 0;
  for (size_t end : ends) {
    std::string chunk = bytes.substr(static_cast<size_t>(offset), end - offset);
    const size_t half = chunk.size() / 2;
    CutPatch(s.server.port(), path, alice.token, offset, chunk, half);
    // The server notices the hang-up and stores what it read: wait until HEAD shows it
    // (polled at the worker's request rate, 10 a second).
    int64_t kept = HeadOffset(alice, path);
    for (int i = 0; i < 100 && kept != offset + static_cast<int64_t>(half); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kept = HeadOffset(alice, path);
    }
    REQUIRE(kept == offset + static_cast<int64_t>(half));
    Reply ok = Patch(alice, path, kept, chunk.substr(half));
    REQUIRE(ok.status == 204);
    offset = std::stoll(ok.Header("upload-offset"));
    CHECK(offset == static_cast<int64_t>(end));
    CHECK(HeadOffset(alice, path) == offset);
  }
  // A stale offset is a 409 that says where the upload is; a wrong checksum is 460.
  Reply stale = Patch(alice, path, 0, "xx");
  CHECK(stale.status == 409);
  CHECK(stale.Header("upload-offset") == std::to_string(bytes.size()));
  Reply wrongsum = alice.http.Send(
      "PATCH", path, alice.token, "abc",
      {"Upload-Offset: " + std::to_string(bytes.size()), "Upload-Checksum: sha256 AAAA",
       "Content-Type: application/offset+octet-stream", "Tus-Resumable: 1.0.0"});
  CHECK(wrongsum.status == 460);
  CHECK(Patch(alice, path, static_cast<int64_t>(bytes.size()), "x").status == 413);

  std::string id = path.substr(path.rfind('/') + 1);
  auto reply = alice.Submit("{\"results\":[{\"a\":\"" + a + "\",\"u\":\"" + id + "\"}]}");
  REQUIRE(reply.receipts.size() == 1);
  CHECK(reply.receipts[0].status == ReceiptStatus::kAccepted);
  CHECK(reply.receipts[0].answer_hash == answer.Hash());
  CHECK(VerifierFrom(alice.http).Verify(reply.receipts[0]));
  // Byte-exact: what the server stored with the result is what was sent, cuts and all.
  const std::string stored =
      s.server.Query("SELECT answer FROM results WHERE upload_id='" + id + "'");
  CHECK(mano::sync::Sha256Hex(stored) == mano::sync::Sha256Hex(bytes));
}

TEST_CASE("upload creation checks its headers") {
  Server s;
  Client alice = s.Alice();
  CHECK(alice.http.Post("/v1/uploads", alice.token, "", {"Tus-Resumable: 1.0.0"}).status == 400);
  CHECK(alice.http
            .Post("/v1/uploads", alice.token, "",
                  {"Upload-Length: 99999999999", "Tus-Resumable: 1.0.0"})
            .status == 413);
  CHECK(
      alice.http.Post("/v1/uploads", alice.token, "", {"Upload-Length: 10", "Tus-Resumable: 0.2.2"})
          .status == 412);
  CHECK(alice.http.Send("HEAD", "/v1/uploads/nope", alice.token, {}, {"Tus-Resumable: 1.0.0"})
            .status == 404);
  // An incomplete upload cannot be used in a result.
  Reply created = alice.http.Post("/v1/uploads", alice.token, "",
                                  {"Upload-Length: 10", "Tus-Resumable: 1.0.0"});
  std::string id = created.Header("location").substr(12);
  auto claim = alice.Claim("x", 1, "long");
  auto r = alice.Submit("{\"results\":[{\"a\":\"" + claim.assignments.at(0).id + "\",\"u\":\"" +
                        id + "\"}]}");
  CHECK(r.receipts[0].status == ReceiptStatus::kInvalid);
  CHECK(r.receipts[0].error.find("results[0].u") == 0);
}

// tus 1.0 as the protocol says (docs/PROTOCOL.md section 11), against the real manod over
// real HTTP: discovery by OPTIONS without a token, refusals decided on the headers (412, 415)
// and Tus-Resumable on every reply, both checksum algorithms, a PATCH longer than the
// per-PATCH limit stored up to the limit and resumed, a cut PATCH that carried a checksum
// keeping nothing, and answers over the 4 MiB JSON body limit uploaded and stored byte-exact
// (manod's peak memory for a 60 MiB answer is printed).
#include <chrono>
#include <thread>

#include "mano/sync/crypto_util.h"
#include "mano/sync/limits.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

constexpr int kParts = 64;  // text fields of up to a million code points: 64 MB of answer

// A task whose answer is a long transcript in parts, each a text field.
std::string BigTask() {
  std::string fields;
  for (int i = 0; i < kParts; ++i) {
    if (i) fields += ',';
    fields +=
        "{\"name\":\"p" + std::to_string(100 + i) + "\",\"type\":\"text\",\"max_length\":1000000}";
  }
  return "{\"id\":\"big-1\",\"kind\":\"big\",\"assignments\":3,\"form\":{\"title\":\"t\","
         "\"fields\":[" +
         fields + "]},\"policy\":{\"late\":\"refuse\",\"lease_ms\":3600000}}";
}

// Canonical JSON of an answer of a little more than `bytes` bytes, in fields of 1,000,000 ASCII
// characters (the keys sort as written); the test stops if kParts fields cannot hold that much.
std::string BigAnswer(size_t bytes) {
  std::string text;
  for (int j = 0; text.size() < 999990; ++j) text += "word " + std::to_string(j) + ". ";
  text.resize(999990);
  std::string out = "{";
  for (int i = 0; i < kParts && out.size() < bytes; ++i) {
    if (i) out += ',';
    out += "\"p" + std::to_string(100 + i) + "\":\"" + text + "\"";
  }
  out += "}";
  REQUIRE(out.size() > bytes);
  return out;
}

struct Server {
  ManodProcess server{ManodProcess::Options{.start = false}};
  Server() {
    server.Import(WriteFile(server.dir(), "big.jsonl", {BigTask()}));
    server.Start();
  }
  Client Alice() { return Client{Http(server.url()), server.Token("alice")}; }
  // `alice` claims the one big task: its assignment id.
  static std::string ClaimBig(Client& alice) {
    auto claim = alice.Claim("c", 1, "big");
    REQUIRE(claim.assignments.size() == 1);
    return claim.assignments[0].id;
  }
};

const std::vector<std::string> kTus = {"Tus-Resumable: 1.0.0",
                                       "Content-Type: application/offset+octet-stream"};

std::string Create(const Client& c, size_t length) {
  Reply r = c.http.Post("/v1/uploads", c.token, "",
                        {"Upload-Length: " + std::to_string(length), "Tus-Resumable: 1.0.0"});
  REQUIRE(r.status == 201);
  return r.Header("location");
}

Reply Patch(const Client& c, const std::string& path, int64_t offset, const std::string& bytes,
            std::vector<std::string> extra = {}) {
  std::vector<std::string> h = kTus;
  h.push_back("Upload-Offset: " + std::to_string(offset));
  h.insert(h.end(), extra.begin(), extra.end());
  return c.http.Send("PATCH", path, c.token, bytes, h);
}

int64_t HeadOffset(const Client& c, const std::string& path) {
  Reply r = c.http.Send("HEAD", path, c.token, {}, {"Tus-Resumable: 1.0.0"});
  REQUIRE(r.status == 200);
  return std::stoll(r.Header("upload-offset"));
}

Reply Delete(const Client& c, const std::string& path) {
  return c.http.Send("DELETE", path, c.token, {}, {"Tus-Resumable: 1.0.0"});
}

// The server stores a cut body once it notices the hang-up: wait (a bounded while, polling at
// the worker's request rate of 10 a second) for HEAD to leave `before`.
int64_t OffsetAfterCut(const Client& c, const std::string& path, int64_t before) {
  int64_t now = HeadOffset(c, path);
  for (int i = 0; i < 100 && now == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = HeadOffset(c, path);
  }
  return now;
}

// PATCH over a raw socket: the headers, then `send` bytes of `body`, then hang up (what
// the server has replied by then, if anything, is returned).
std::string RawPatch(uint16_t port, const Client& c, const std::string& path, int64_t offset,
                     size_t announced, const std::string& body, const std::string& extra = {}) {
  LoopbackSocket s(port);
  try {
    s.Send("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + c.token +
           "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n" + extra +
           "Upload-Offset: " + std::to_string(offset) +
           "\r\nContent-Length: " + std::to_string(announced) + "\r\n\r\n" + body);
  } catch (const std::exception&) {
    // The server stopped reading and closed: expected when the body passes its limit.
  }
  s.Close();
  return {};
}

// Submits the result of assignment `a` by the complete upload at `path`: it must be accepted
// with the hash of `answer`, and the answer stored with the result must be `answer` exactly.
void SubmitByUpload(const Server& s, const Client& c, const std::string& a, const std::string& path,
                    const std::string& answer) {
  const std::string id = path.substr(path.rfind('/') + 1);
  auto reply = c.Submit("{\"results\":[{\"a\":\"" + a + "\",\"u\":\"" + id + "\"}]}");
  REQUIRE(reply.receipts.size() == 1);
  INFO(reply.receipts[0].error);
  CHECK(reply.receipts[0].status == ReceiptStatus::kAccepted);
  CHECK(reply.receipts[0].answer_hash == mano::sync::Sha256Hex(answer));
  // Compared by hash: a failure must not print 60 MB.
  const std::string stored =
      s.server.Query("SELECT answer FROM results WHERE upload_id='" + id + "'");
  CHECK(stored.size() == answer.size());
  CHECK(mano::sync::Sha256Hex(stored) == mano::sync::Sha256Hex(answer));
}

}  // namespace

TEST_CASE("OPTIONS needs no token and says what the server supports") {
  Server s;
  Http anonymous(s.server.url());
  for (const std::string path : {"/v1/uploads", "/v1/uploads/anything"}) {
    Reply r = anonymous.Send("OPTIONS", path, "");
    CHECK(r.status == 204);
    CHECK(r.Header("tus-resumable") == "1.0.0");
    CHECK(r.Header("tus-version") == "1.0.0");
    CHECK(r.Header("tus-extension") == "creation,checksum,termination");
    CHECK(r.Header("tus-max-size") == std::to_string(mano::sync::kMaxUploadBytes));
    CHECK(r.Header("tus-checksum-algorithm") == "sha1,sha256");
  }
}

TEST_CASE("wrong Tus-Resumable is 412, wrong Content-Type 415, every reply says Tus-Resumable") {
  Server s;
  Client alice = s.Alice();
  const std::string path = Create(alice, 10);
  Reply old = alice.http.Send("PATCH", path, alice.token, "abc",
                              {"Tus-Resumable: 0.2.2", kTus[1], "Upload-Offset: 0"});
  CHECK(old.status == 412);
  CHECK(old.Header("tus-version") == "1.0.0");
  CHECK(old.Header("tus-resumable") == "1.0.0");
  Reply head = alice.http.Send("HEAD", path, alice.token, {}, {"Tus-Resumable: 2.0.0"});
  CHECK(head.status == 412);
  CHECK(head.Header("tus-version") == "1.0.0");
  Reply typed = alice.http.Send("PATCH", path, alice.token, "abc",
                                {"Tus-Resumable: 1.0.0", "Upload-Offset: 0"});  // JSON
  CHECK(typed.status == 415);
  CHECK(typed.Header("tus-resumable") == "1.0.0");
  CHECK(HeadOffset(alice, path) == 0);
  // Parameters and case do not matter in a media type.
  CHECK(alice.http
            .Send("PATCH", path, alice.token, "abc",
                  {"Tus-Resumable: 1.0.0", "Upload-Offset: 0",
                   "Content-Type: Application/Offset+Octet-Stream; charset=x"})
            .status == 204);
  // Errors too: 401, 404, 409, 413, 460, 400, 405.
  std::vector<Reply> errors = {
      alice.http.Send("HEAD", path, "", {}, {"Tus-Resumable: 1.0.0"}),
      alice.http.Send("HEAD", "/v1/uploads/nope", alice.token, {}, {"Tus-Resumable: 1.0.0"}),
      Patch(alice, path, 0, "x"),
      Patch(alice, path, 3, "12345678"),
      Patch(alice, path, 3, "x", {"Upload-Checksum: sha256 AAAA"}),
      Patch(alice, path, 3, "x", {"Upload-Checksum: md5 AAAA"}),
      alice.http.Send("GET", path, alice.token)};
  std::vector<long> want = {401, 404, 409, 413, 460, 400, 405};
  for (size_t i = 0; i < errors.size(); ++i) {
    INFO("reply " << i << ": " << errors[i].status << " " << errors[i].body);
    CHECK(errors[i].status == want[i]);
    CHECK(errors[i].Header("tus-resumable") == "1.0.0");
  }
  CHECK(errors.back().Header("allow") == "HEAD, PATCH, DELETE, OPTIONS");
}

TEST_CASE("a tus request without Tus-Resumable is 412 with Tus-Version, and changes nothing") {
  Server s;
  Client alice = s.Alice();
  const std::string path = Create(alice, 10);
  // tus 1.0: every request but OPTIONS MUST carry it.
  std::vector<Reply> bare = {
      alice.http.Post("/v1/uploads", alice.token, "", {"Upload-Length: 10"}),
      alice.http.Send("HEAD", path, alice.token),
      alice.http.Send("PATCH", path, alice.token, "abc", {kTus[1], "Upload-Offset: 0"}),
      alice.http.Send("DELETE", path, alice.token)};
  for (size_t i = 0; i < bare.size(); ++i) {
    INFO("request " << i << ": " << bare[i].status << " " << bare[i].body);
    CHECK(bare[i].status == 412);
    CHECK(bare[i].Header("tus-version") == "1.0.0");
    CHECK(bare[i].Header("tus-resumable") == "1.0.0");
    if (i != 1) CHECK(bare[i].body.find("Tus-Resumable") != std::string::npos);  // 1: HEAD
  }
  CHECK(HeadOffset(alice, path) == 0);
  // One open upload: the bare POST created none.
  CHECK(s.server.QueryInt("SELECT COUNT(*) FROM uploads") == 1);
}

TEST_CASE("DELETE terminates an upload: its bytes go, later requests are 404, quota freed") {
  Server s;
  Client alice = s.Alice();
  Client bob{Http(s.server.url()), s.server.Token("bob")};
  // Four uploads of 64 MiB fill alice's 256 MiB of open uploads.
  std::vector<std::string> paths;
  for (int i = 0; i < 4; ++i) paths.push_back(Create(alice, mano::sync::kMaxUploadBytes));
  const std::string& path = paths[0];
  const std::string id = path.substr(path.rfind('/') + 1);
  REQUIRE(Patch(alice, path, 0, "0123456789").status == 204);
  REQUIRE(s.server.QueryInt("SELECT COUNT(*) FROM upload_chunks WHERE upload_id='" + id + "'") ==
          1);
  CHECK(alice.http.Post("/v1/uploads", alice.token, "", {"Upload-Length: 1", kTus[0]}).status ==
        429);
  // Only its owner may: another worker's upload is unknown to bob, and stays.
  CHECK(Delete(bob, path).status == 404);
  CHECK(HeadOffset(alice, path) == 10);
  CHECK(alice.http.Send("DELETE", path, "", {}, {kTus[0]}).status == 401);

  Reply gone = Delete(alice, path);
  CHECK(gone.status == 204);
  CHECK(gone.Header("tus-resumable") == "1.0.0");
  CHECK(gone.body.empty());
  CHECK(s.server.QueryInt("SELECT COUNT(*) FROM upload_chunks WHERE upload_id='" + id + "'") == 0);
  CHECK(s.server.QueryInt("SELECT COUNT(*) FROM uploads WHERE id='" + id + "'") == 0);
  // Afterwards the URL is unknown (tus: 404 or 410; manod keeps no trace of it, so 404).
  CHECK(alice.http.Send("HEAD", path, alice.token, {}, {kTus[0]}).status == 404);
  CHECK(Patch(alice, path, 10, "x").status == 404);
  CHECK(Delete(alice, path).status == 404);
  CHECK(Delete(alice, "/v1/uploads/nope").status == 404);
  // Its room in the quota is free again.
  CHECK(alice.http.Post("/v1/uploads", alice.token, "", {"Upload-Length: 1", kTus[0]}).status ==
        201);
}

TEST_CASE("an upload a stored result names cannot be deleted: 409, and the result stays") {
  Server s;
  Client alice = s.Alice();
  auto claim = alice.Claim("c", 1, "big");
  REQUIRE(claim.assignments.size() == 1);
  const std::string answer = "{\"p100\":\"a transcript\"}";
  const std::string path = Create(alice, answer.size());
  REQUIRE(Patch(alice, path, 0, answer).status == 204);
  SubmitByUpload(s, alice, claim.assignments[0].id, path, answer);
  Reply refused = Delete(alice, path);
  CHECK(refused.status == 409);
  CHECK(refused.Header("tus-resumable") == "1.0.0");
  CHECK(refused.body.find("\"conflict\"") != std::string::npos);
  CHECK(HeadOffset(alice, path) == static_cast<int64_t>(answer.size()));
  const std::string id = path.substr(path.rfind('/') + 1);
  CHECK(s.server.Query("SELECT answer FROM results WHERE upload_id='" + id + "'") == answer);
}

TEST_CASE("Upload-Checksum with sha1 or sha256 is checked") {
  Server s;
  Client alice = s.Alice();
  const std::string path = Create(alice, 6);
  auto sum = [](const char* algorithm, const std::string& digest) {
    return std::vector<std::string>{std::string("Upload-Checksum: ") + algorithm + " " +
                                    mano::sync::Base64Encode(digest)};
  };
  // SHA-1 of "abc" (FIPS 180-2, appendix A.1).
  const std::string sha1_abc = mano::sync::HexDecode("a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(Patch(alice, path, 0, "abd", sum("sha1", sha1_abc)).status == 460);
  CHECK(Patch(alice, path, 0, "abc", sum("sha1", sha1_abc)).status == 204);
  CHECK(Patch(alice, path, 3, "def", sum("sha256", mano::sync::Sha256("def"))).status == 204);
  CHECK(HeadOffset(alice, path) == 6);
}

TEST_CASE("a cut PATCH that carried Upload-Checksum keeps nothing (its part cannot be checked)") {
  Server s;
  Client alice = s.Alice();
  const std::string path = Create(alice, 100000);
  const std::string bytes(100000, 'a');
  RawPatch(
      s.server.port(), alice, path, 0, bytes.size(), bytes.substr(0, 50000),
      "Upload-Checksum: sha256 " + mano::sync::Base64Encode(mano::sync::Sha256(bytes)) + "\r\n");
  // A later request on the same worker's upload sees it untouched.
  CHECK(Patch(alice, path, 0, "a").status == 204);
  CHECK(HeadOffset(alice, path) == 1);
}

TEST_CASE("a PATCH over the 8 MiB limit stores 8 MiB and stops; the rest follows; 9 MiB answer") {
  Server s;
  Client alice = s.Alice();
  const std::string id = Server::ClaimBig(alice);
  const std::string answer = BigAnswer(9u << 20);
  const std::string path = Create(alice, answer.size());
  // One PATCH for the whole (tus-js-client's default): manod reads 8 MiB, stores them and
  // closes the connection without reading the rest.
  RawPatch(s.server.port(), alice, path, 0, answer.size(), answer);
  const int64_t kept = OffsetAfterCut(alice, path, 0);
  CHECK(kept == (8 << 20));
  Reply rest = Patch(alice, path, kept, answer.substr(static_cast<size_t>(kept)));
  REQUIRE(rest.status == 204);
  CHECK(rest.Header("upload-offset") == std::to_string(answer.size()));
  SubmitByUpload(s, alice, id, path, answer);
}

TEST_CASE("a 60 MiB uploaded answer is stored byte-exact; manod's peak memory is measured") {
  Server s;
  Client alice = s.Alice();
  const std::string id = Server::ClaimBig(alice);
  const std::string answer = BigAnswer(60u << 20);
  REQUIRE(answer.size() <= mano::sync::kMaxUploadBytes);
  const std::string path = Create(alice, answer.size());
  for (int64_t offset = 0; offset < static_cast<int64_t>(answer.size());) {
    Reply r = Patch(alice, path, offset, answer.substr(static_cast<size_t>(offset), 8u << 20));
    REQUIRE(r.status == 204);
    offset = std::stoll(r.Header("upload-offset"));
  }
  const long before = s.server.MemoryKib("VmHWM");
  SubmitByUpload(s, alice, id, path, answer);
  const long peak = s.server.MemoryKib("VmHWM");
  std::printf(
      "manod peak RSS: %ld KiB after the PATCHes, %ld KiB after the submit of a %zu-byte "
      "uploaded answer (%s)\n",
      before, peak, answer.size(), s.server.postgres() ? "PostgreSQL" : "SQLite");
}

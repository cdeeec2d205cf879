// Conformance of batch receipts (docs/PROTOCOL.md section 8): a submit that asks with
// "Mano-Receipts: batch-v1" gets one Ed25519 signature over the canonical bytes of all its
// receipts, each receipt leaving out what the request already says; without the header the
// reply is the per-receipt form, unchanged. Real manod over real HTTP.
#include "mano/sync/answer.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/sync_error.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::Receipt;
using mano::sync::ReceiptDefaults;
using mano::sync::ReceiptStatus;
using mano::sync::SubmitReply;

namespace {

const char* kBatchHeader = "Mano-Receipts: batch-v1";

struct BatchServer {
  ManodProcess server{ManodProcess::Options{.start = false}};
  Client alice{Http(""), ""};  // set once the server runs

  BatchServer() {
    server.Import(WriteFile(
        server.dir(), "batch.jsonl",
        {TaskLine("b1", "batch", "refuse", 60000), TaskLine("b2", "batch", "refuse", 60000),
         TaskLine("b3", "batch", "refuse", 60000), TaskLine("late", "slow", "accept", 60000)}));
    server.Start();
    alice = Client{Http(server.url()), server.Token("alice")};
  }
  // Claims `count` tasks of `kind` for alice; returns their assignment ids.
  std::vector<std::string> Claim(const std::string& key, size_t count, const std::string& kind) {
    auto claim = alice.Claim(key, static_cast<int>(count), kind);
    REQUIRE(claim.assignments.size() == count);
    std::vector<std::string> ids;
    for (const auto& a : claim.assignments) ids.push_back(a.id);
    return ids;
  }
};

std::string Score(const std::string& a, int score, const std::string& k = {}) {
  return "{\"a\":\"" + a + "\"" + (k.empty() ? "" : ",\"k\":\"" + k + "\"") +
         ",\"v\":{\"score\":" + std::to_string(score) + "}}";
}

std::string HashOfScore(int score) {
  mano::sync::Answer answer;
  answer.Set("score", int64_t{score});
  return answer.Hash();
}

// What the client knows of each result it sent.
ReceiptDefaults Sent(const std::string& a, int score, const std::string& k = {}) {
  return ReceiptDefaults{k.empty() ? a : k, a, HashOfScore(score)};
}

// POSTs `results` (comma-separated) with the batch header; returns the raw reply.
Reply PostBatch(const Client& c, const std::string& results,
                const std::string& header = kBatchHeader) {
  Reply r = c.http.Post("/v1/submit", c.token, "{\"results\":[" + results + "]}", {header});
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r;
}

SubmitReply ReadBatch(const Reply& r, const std::vector<ReceiptDefaults>& sent) {
  mano::sync::JsonDocument doc(r.body);
  return SubmitReply::Read(doc.Root(), &sent);
}

}  // namespace

TEST_CASE("a batch reply carries one signature and receipts without what the client knows") {
  BatchServer s;
  auto verifier = VerifierFrom(s.alice.http);
  const auto ids = s.Claim("c", 3, "batch");
  const std::string a = ids[0], b = ids[1];

  const std::vector<ReceiptDefaults> sent = {Sent(a, 3, a + ":1"), Sent(b, 9), Sent("zzzz", 1)};
  Reply raw =
      PostBatch(s.alice, Score(a, 3, a + ":1") + "," + Score(b, 9) + "," + Score("zzzz", 1));
  // On the wire: no per-receipt sig, h, k, a, c or t where the request already says them.
  CHECK(raw.body.find("\"receipts\":[{\"s\":\"accepted\"},{\"s\":\"invalid\",\"e\":") !=
        std::string::npos);
  CHECK(raw.body.find(",{\"s\":\"not_found\",\"e\":\"no such assignment\"}]") != std::string::npos);
  CHECK(raw.body.find("\"h\"") == std::string::npos);

  const SubmitReply reply = ReadBatch(raw, sent);
  REQUIRE(reply.receipts.size() == 3);
  CHECK_FALSE(reply.sig.empty());
  const Receipt& ok = reply.receipts[0];
  CHECK(ok.status == ReceiptStatus::kAccepted);
  CHECK(ok.code == 200);
  CHECK(ok.key == a + ":1");
  CHECK(ok.assignment_id == a);
  CHECK(ok.server_time == reply.server_time);
  CHECK(ok.answer_hash == HashOfScore(3));
  CHECK(reply.receipts[1].status == ReceiptStatus::kInvalid);
  CHECK(reply.receipts[1].code == 422);
  CHECK(reply.receipts[1].error.find("results[1].v.score") != std::string::npos);
  CHECK(reply.receipts[2].status == ReceiptStatus::kNotFound);
  CHECK(reply.receipts[2].code == 404);
  const std::string bytes = mano::sync::CanonicalBatchBytes(reply.receipts);
  CHECK(verifier.VerifyBatch(bytes, reply.sig));

  // Filled with other values than the server signed, nothing verifies: a client that got its
  // own hash wrong acknowledges nothing.
  auto wrong = sent;
  wrong[0].answer_hash = HashOfScore(4);
  const SubmitReply misread = ReadBatch(raw, wrong);
  CHECK_FALSE(verifier.VerifyBatch(mano::sync::CanonicalBatchBytes(misread.receipts), misread.sig));
  auto forged = reply.receipts;
  forged[1].status = ReceiptStatus::kAccepted;
  forged[1].code = 200;
  CHECK_FALSE(verifier.VerifyBatch(mano::sync::CanonicalBatchBytes(forged), reply.sig));
}

TEST_CASE("duplicates in a batch keep the original time and hash, signed within the batch") {
  BatchServer s;
  auto verifier = VerifierFrom(s.alice.http);
  const auto ids = s.Claim("d", 3, "batch");
  const std::string a = ids[0], b = ids[1], c = ids[2];
  // a first per receipt (the old form), b first in a batch.
  const Receipt first_a = s.alice.SubmitOne(a, 2);
  REQUIRE(first_a.status == ReceiptStatus::kAccepted);
  const SubmitReply first_b = ReadBatch(PostBatch(s.alice, Score(b, 1)), {Sent(b, 1)});
  REQUIRE(first_b.receipts[0].status == ReceiptStatus::kAccepted);

  s.server.AdvanceClock(5000);
  const std::vector<ReceiptDefaults> sent = {Sent(a, 2), Sent(b, 1), Sent(c, 4), Sent(a, 3, a)};
  Reply raw = PostBatch(s.alice,
                        Score(a, 2) + "," + Score(b, 1) + "," + Score(c, 4) + "," + Score(a, 3, a));
  const SubmitReply reply = ReadBatch(raw, sent);
  REQUIRE(reply.receipts.size() == 4);
  CHECK(reply.receipts[0].status == ReceiptStatus::kDuplicate);
  CHECK(reply.receipts[0].server_time == first_a.server_time);
  CHECK(reply.receipts[0].answer_hash == first_a.answer_hash);
  CHECK(reply.receipts[1].status == ReceiptStatus::kDuplicate);
  CHECK(reply.receipts[1].server_time == first_b.receipts[0].server_time);
  CHECK(reply.receipts[2].status == ReceiptStatus::kAccepted);
  CHECK(reply.receipts[2].server_time == reply.server_time);
  CHECK(reply.receipts[3].status == ReceiptStatus::kConflict);  // same key, other answer
  CHECK(verifier.VerifyBatch(mano::sync::CanonicalBatchBytes(reply.receipts), reply.sig));
  // The original times differ from the reply's, so they are on the wire; the hashes are not.
  CHECK(raw.body.find("\"t\":" + std::to_string(first_a.server_time)) != std::string::npos);
  CHECK(raw.body.find("\"h\"") == std::string::npos);

  // A receipt first given in a batch replays in the per-receipt form, signed on its own.
  const Receipt again = s.alice.SubmitOne(b, 1);
  CHECK(again.status == ReceiptStatus::kDuplicate);
  CHECK(again.server_time == first_b.receipts[0].server_time);
  CHECK(again.answer_hash == HashOfScore(1));
  CHECK(verifier.Verify(again));
}

TEST_CASE("without the header, or with another form, the reply is per receipt") {
  BatchServer s;
  auto verifier = VerifierFrom(s.alice.http);
  const auto ids = s.Claim("p", 3, "batch");
  const std::string a = ids[0], b = ids[1], c = ids[2];

  Reply other = PostBatch(s.alice, Score(a, 1), "Mano-Receipts: batch-v9");
  const SubmitReply per = SubmitReply::FromJson(other.body);
  CHECK(per.sig.empty());
  REQUIRE(per.receipts.size() == 1);
  CHECK_FALSE(per.receipts[0].sig.empty());
  CHECK(verifier.Verify(per.receipts[0]));

  // The header may list several forms; batch-v1 among them is enough.
  Reply listed = PostBatch(s.alice, Score(b, 1), "Mano-Receipts: batch-v9, batch-v1");
  const SubmitReply batch = ReadBatch(listed, {Sent(b, 1)});
  CHECK_FALSE(batch.sig.empty());
  CHECK(verifier.VerifyBatch(mano::sync::CanonicalBatchBytes(batch.receipts), batch.sig));

  // A client that asks but reads without its request's values cannot complete the receipts.
  Reply asked = PostBatch(s.alice, Score(c, 1));
  CHECK_THROWS_AS(SubmitReply::FromJson(asked.body), mano::sync::SyncError);
}

TEST_CASE("a batch receipt whose hash the client cannot know carries it") {
  BatchServer s;
  auto verifier = VerifierFrom(s.alice.http);
  const std::string a = s.Claim("u", 1, "batch")[0];
  // An upload id the server does not have: nothing was judged, so no hash.
  std::vector<ReceiptDefaults> sent = {ReceiptDefaults{a, a, HashOfScore(2)}};
  Reply raw = PostBatch(s.alice, "{\"a\":\"" + a + "\",\"u\":\"0123456789abcdef01234567\"}");
  CHECK(raw.body.find("\"h\":\"\"") != std::string::npos);
  const SubmitReply reply = ReadBatch(raw, sent);
  CHECK(reply.receipts[0].status == ReceiptStatus::kInvalid);
  CHECK(reply.receipts[0].answer_hash.empty());
  CHECK(verifier.VerifyBatch(mano::sync::CanonicalBatchBytes(reply.receipts), reply.sig));
}

TEST_CASE("a late result in a batch is signed with its late status") {
  BatchServer s;
  auto verifier = VerifierFrom(s.alice.http);
  const std::string a = s.Claim("l", 1, "slow")[0];
  s.server.AdvanceClock(120000);
  const SubmitReply reply = ReadBatch(PostBatch(s.alice, Score(a, 0)), {Sent(a, 0)});
  CHECK(reply.receipts[0].status == ReceiptStatus::kLateAccepted);
  CHECK(verifier.VerifyBatch(mano::sync::CanonicalBatchBytes(reply.receipts), reply.sig));
}

// Batch receipts: the canonical batch bytes, their parser, one signature over a reply, and
// the batch form of a submit reply that leaves out what the request already says.
#include "mano/sync/receipt_batch.h"

#include <catch2/catch.hpp>

#include "mano/sync/jcs.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;

namespace {

const std::string kHashA(64, 'a');
const std::string kHashB = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::vector<Receipt> SampleBatch() {
  return {
      Receipt{"2s9", "2s9", ReceiptStatus::kAccepted, 200, 1795000000123, kHashA, "", "",
              kCanonLegacy},
      Receipt{"2sa:2", "2sa", ReceiptStatus::kInvalid, 422, 1795000000123, kHashB, "",
              "results[1].v.score: expected an integer", kCanonLegacy},
      Receipt{"2sb", "2sb", ReceiptStatus::kDuplicate, 200, 1794000000000, kHashB, "", "",
              kCanonLegacy},
  };
}

std::vector<ReceiptDefaults> SampleSent() {
  return {{"2s9", "2s9", kHashA}, {"2sa:2", "2sa", kHashB}, {"2sb", "2sb", kHashB}};
}

}  // namespace

TEST_CASE("Canonical batch bytes are the header and each receipt's canonical bytes") {
  const auto batch = SampleBatch();
  const std::string bytes = CanonicalBatchBytes(batch);
  CHECK(bytes ==
        "mano-receipts-v1\n"
        "mano-receipt-v1\nk=2s9\na=2s9\ns=accepted\nc=200\nt=1795000000123\nh=" +
            kHashA +
            "\n"
            "mano-receipt-v1\nk=2sa:2\na=2sa\ns=invalid\nc=422\nt=1795000000123\nh=" +
            kHashB +
            "\n"
            "mano-receipt-v1\nk=2sb\na=2sb\ns=duplicate\nc=200\nt=1794000000000\nh=" +
            kHashB + "\n");
  CHECK(bytes.rfind(std::string(kBatchBytesHeader), 0) == 0);
}

TEST_CASE("Batch bytes parse back to the same receipts; other texts do not parse") {
  auto batch = SampleBatch();
  batch[1].answer_hash.clear();  // a missing upload has no hash: "h=\n"
  const std::string bytes = CanonicalBatchBytes(batch);
  const auto parsed = ParseBatchBytes(bytes);
  REQUIRE(parsed);
  REQUIRE(parsed->size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    INFO("receipt " << i);
    CHECK(FindInBatch(*parsed, batch[i]) == i);
    CHECK((*parsed)[i].sig.empty());
    CHECK((*parsed)[i].error.empty());  // e is advisory, never signed
  }
  CHECK(CanonicalBatchBytes(*parsed) == bytes);

  CHECK_FALSE(ParseBatchBytes(""));
  CHECK_FALSE(ParseBatchBytes("mano-receipts-v1\n"));               // no receipt
  CHECK_FALSE(ParseBatchBytes(bytes.substr(0, bytes.size() - 1)));  // cut
  CHECK_FALSE(ParseBatchBytes(bytes + "x"));
  CHECK_FALSE(ParseBatchBytes(CanonicalReceiptBytes(batch[0])));  // a single receipt
  std::string padded = bytes;
  padded.replace(padded.find("c=200"), 5, "c=0200");  // another spelling of the same number
  CHECK_FALSE(ParseBatchBytes(padded));
  std::string unknown = bytes;
  unknown.replace(unknown.find("s=accepted"), 10, "s=accepted!");
  CHECK_FALSE(ParseBatchBytes(unknown));
  std::string swapped = bytes;
  swapped.replace(swapped.find("k=2s9\na=2s9"), 11, "a=2s9\nk=2s9");
  CHECK_FALSE(ParseBatchBytes(swapped));
}

TEST_CASE("FindInBatch matches k, a, s, c, t and h, nothing less") {
  const auto batch = SampleBatch();
  CHECK(FindInBatch(batch, batch[2]) == 2u);
  for (int field = 0; field < 6; ++field) {
    INFO("field " << field);
    Receipt r = batch[0];
    switch (field) {
      case 0:
        r.key = "2s8";
        break;
      case 1:
        r.assignment_id = "2s8";
        break;
      case 2:
        r.status = ReceiptStatus::kLateAccepted;
        break;
      case 3:
        r.code = 201;
        break;
      case 4:
        r.server_time += 1;
        break;
      case 5:
        r.answer_hash[10] = 'b';
        break;
    }
    CHECK_FALSE(FindInBatch(batch, r));
  }
}

TEST_CASE("One signature covers the whole batch; any change to it fails") {
  ReceiptSigner signer = ReceiptSigner::Generate();
  ReceiptVerifier verifier(signer.PublicKey());
  const auto batch = SampleBatch();
  const std::string sig = signer.SignBatch(batch);
  const std::string bytes = CanonicalBatchBytes(batch);
  CHECK(verifier.VerifyBatch(bytes, sig));
  CHECK(signer.SignBatch(batch) == sig);  // deterministic

  // Every single byte of the bytes matters.
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    if (!verifier.VerifyBatch(changed, sig)) continue;
    FAIL("byte " << i << " is not covered");
  }
  // Order matters, and so does every receipt.
  auto reordered = batch;
  std::swap(reordered[0], reordered[1]);
  CHECK_FALSE(verifier.VerifyBatch(CanonicalBatchBytes(reordered), sig));
  auto fewer = batch;
  fewer.pop_back();
  CHECK_FALSE(verifier.VerifyBatch(CanonicalBatchBytes(fewer), sig));
  // The advisory e is not covered.
  auto advisory = batch;
  advisory[0].error = "anything";
  CHECK(verifier.VerifyBatch(CanonicalBatchBytes(advisory), sig));

  std::string bad_sig = sig;
  bad_sig[3] = bad_sig[3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(verifier.VerifyBatch(bytes, bad_sig));
  CHECK_FALSE(verifier.VerifyBatch(bytes, ""));
  CHECK_FALSE(verifier.VerifyBatch(bytes, "not base64!"));
  CHECK_FALSE(ReceiptVerifier(ReceiptSigner::Generate().PublicKey()).VerifyBatch(bytes, sig));
}

TEST_CASE("A single receipt's signature and a batch's cannot stand in for each other") {
  ReceiptSigner signer = ReceiptSigner::Generate();
  ReceiptVerifier verifier(signer.PublicKey());
  Receipt one = SampleBatch()[0];
  const std::string single_sig = signer.Sign(one);
  CHECK_FALSE(verifier.VerifyBatch(CanonicalBatchBytes({one}), single_sig));
  CHECK_FALSE(verifier.VerifyBatch(CanonicalReceiptBytes(one), single_sig));  // no batch header
  one.sig = signer.SignBatch({one});
  CHECK_FALSE(verifier.Verify(one));
}

TEST_CASE("The batch form leaves out what the request says and reads it back from it") {
  SubmitReply reply;
  reply.server_time = 1795000000123;
  reply.receipts = SampleBatch();
  ReceiptSigner signer = ReceiptSigner::Generate();
  reply.sig = signer.SignBatch(reply.receipts);
  const auto sent = SampleSent();
  const std::string json = reply.ToBatchJson(sent);
  CHECK(json == "{\"t\":1795000000123,\"sig\":\"" + reply.sig +
                    "\",\"receipts\":[{\"s\":\"accepted\"},"
                    "{\"s\":\"invalid\",\"e\":\"results[1].v.score: expected an integer\"},"
                    "{\"s\":\"duplicate\",\"t\":1794000000000}]}");

  JsonDocument doc(json);
  const SubmitReply back = SubmitReply::Read(doc.Root(), &sent);
  CHECK(back.server_time == reply.server_time);
  CHECK(back.sig == reply.sig);
  REQUIRE(back.receipts.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    INFO("receipt " << i);
    CHECK(FindInBatch(back.receipts, reply.receipts[i]) == i);
    CHECK(back.receipts[i].error == reply.receipts[i].error);
  }
  CHECK(ReceiptVerifier(signer.PublicKey())
            .VerifyBatch(CanonicalBatchBytes(back.receipts), back.sig));

  // Without the request's values a batch reply's receipts must be complete.
  CHECK_THROWS_AS(SubmitReply::FromJson(json), SyncError);
  // A receipt count other than the request's is refused, naming the member.
  auto two = sent;
  two.pop_back();
  try {
    SubmitReply::Read(doc.Root(), &two);
    FAIL("a count mismatch was accepted");
  } catch (const SyncError& e) {
    CHECK(e.field() == "receipts");
  }
}

TEST_CASE("The batch form writes what differs from the request, and what the client cannot know") {
  SubmitReply reply;
  reply.server_time = 1795000000500;
  Receipt other = SampleBatch()[0];  // the server judged other content, at another time
  other.answer_hash = kHashB;
  other.code = 299;
  other.server_time = reply.server_time;
  Receipt unknown = SampleBatch()[1];  // an upload that was missing: no hash at all
  unknown.answer_hash.clear();
  unknown.server_time = reply.server_time;
  reply.receipts = {other, unknown};
  reply.sig = "c2ln";
  std::vector<ReceiptDefaults> sent = {{"2s9", "2s9", kHashA}, {"2sa:2", "2sa", ""}};
  const std::string json = reply.ToBatchJson(sent);
  CHECK(json.find("\"h\":\"" + kHashB + "\"") != std::string::npos);
  CHECK(json.find("\"c\":299") != std::string::npos);
  CHECK(json.find("\"h\":\"\"") != std::string::npos);
  JsonDocument doc(json);
  // The client fills its own hash where the reply says nothing; explicit members win.
  std::vector<ReceiptDefaults> client = {{"2s9", "2s9", kHashA}, {"2sa:2", "2sa", kHashA}};
  const SubmitReply back = SubmitReply::Read(doc.Root(), &client);
  CHECK(back.receipts[0].answer_hash == kHashB);
  CHECK(back.receipts[0].code == 299);
  CHECK(back.receipts[1].answer_hash.empty());
  CHECK(back.receipts[1].key == "2sa:2");
}

TEST_CASE("A per-receipt reply still reads as before, with or without the request's values") {
  SubmitReply reply;
  reply.server_time = 1795000000123;
  reply.receipts = SampleBatch();
  ReceiptSigner signer = ReceiptSigner::Generate();
  for (auto& r : reply.receipts) signer.SignInPlace(r);
  const std::string json = reply.ToJson();
  CHECK(json.find("\"sig\"") != std::string::npos);
  const auto sent = SampleSent();
  JsonDocument doc(json);
  const SubmitReply back = SubmitReply::Read(doc.Root(), &sent);
  CHECK(back.sig.empty());
  ReceiptVerifier verifier(signer.PublicKey());
  for (const auto& r : back.receipts) CHECK(verifier.Verify(r));
}

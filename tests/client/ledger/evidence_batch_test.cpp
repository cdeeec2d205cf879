// Evidence for a result whose receipt the server signed with the other receipts of its reply
// (batch receipts): the file carries the batch's exact bytes and signature, says which
// receipt of the batch it is, and any change to the batch, its signature or the receipt fails.
#include "evidence_scenario.h"
#include "mano/client/ledger/evidence.h"
#include "mano/sync/json_util.h"

using mano::client::ledger::BuildEvidence;
using mano::client::ledger::VerifyEvidence;
using mano::test::EvidenceScenario;
using mano::test::LedgerFixture;

namespace {

using mano::test::SetString;

using Edit =
    std::function<void(rapidjson::Document&, rapidjson::Value& receipt, rapidjson::Value& batch)>;

std::string Edited(const std::string& json, const Edit& edit) {
  return mano::test::Mutate(json, [&](auto& d) { edit(d, d["receipt"], d["receipt_batch"]); });
}

void ExpectBad(const std::string& json, const std::string& words) {
  const auto check = VerifyEvidence(json);
  INFO(check.problem);
  CHECK_FALSE(check.ok);
  CHECK(check.problem.find(words) != std::string::npos);
}

}  // namespace

TEST_CASE("evidence of a batch-signed receipt carries the batch and says which receipt it is") {
  LedgerFixture f;
  EvidenceScenario s(f, true);
  const auto evidence = BuildEvidence(f.store(), s.rejected_id);
  mano::sync::JsonDocument doc(evidence.json);
  const auto root = doc.Root();
  const auto batch = root.Member("receipt_batch");
  CHECK(batch.Str("canonical") == mano::sync::CanonicalBatchBytes(s.batch_receipts));
  CHECK(batch.Str("sig") == s.signer.SignBatch(s.batch_receipts));
  CHECK_FALSE(root.Member("receipt").Has("sig"));
  CHECK(root.Member("receipt").Str("h") == root.Str("answer_hash"));
  CHECK(evidence.summary.find("as receipt 2 of 3 in one batch") != std::string::npos);

  const auto check = VerifyEvidence(evidence.json, s.signer.PublicKeyBase64());
  INFO(check.problem);
  REQUIRE(check.ok);
  bool named = false;
  for (const auto& line : check.passed)
    named |= line.find("receipt 2 of 3 in a batch signed by the server key " + s.signer.KeyId()) !=
             std::string::npos;
  CHECK(named);
}

TEST_CASE("any change to a batch-signed receipt's evidence is detected") {
  LedgerFixture f;
  EvidenceScenario s(f, true);
  const std::string good = BuildEvidence(f.store(), s.rejected_id).json;
  REQUIRE(VerifyEvidence(good).ok);

  SECTION("every byte of the batch's signed bytes") {
    const std::string bytes = mano::sync::CanonicalBatchBytes(s.batch_receipts);
    for (size_t i = 0; i < bytes.size(); ++i) {
      std::string changed = bytes;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      const auto check = VerifyEvidence(Edited(
          good, [&](auto& d, auto&, auto& batch) { SetString(d, batch["canonical"], changed); }));
      if (check.ok) FAIL("byte " << i << " of the batch is not covered");
      if (check.problem.find("signature of the receipt batch") == std::string::npos)
        FAIL("byte " << i << ": " << check.problem);
    }
  }
  SECTION("the batch's signature") {
    ExpectBad(Edited(good,
                     [](auto& d, auto&, auto& batch) {
                       std::string sig = batch["sig"].GetString();
                       sig[7] = sig[7] == 'A' ? 'B' : 'A';
                       SetString(d, batch["sig"], sig);
                     }),
              "signature of the receipt batch");
  }
  SECTION("each signed member of the receipt's line") {
    for (const char* member : {"k", "a", "s", "h"}) {
      INFO("member " << member);
      ExpectBad(Edited(good,
                       [&](auto& d, auto& receipt, auto&) {
                         std::string v = receipt[member].GetString();
                         v = member == std::string("s") ? "late_accepted" : v + "0";
                         SetString(d, receipt[member], v);
                       }),
                "not in the batch the server signed");
    }
    ExpectBad(Edited(good, [](auto&, auto& receipt, auto&) { receipt["t"].SetInt64(1); }),
              "not in the batch the server signed");
    ExpectBad(Edited(good, [](auto&, auto& receipt, auto&) { receipt["c"].SetInt64(202); }),
              "not in the batch the server signed");
  }
  SECTION("another receipt of the same batch in place of this one") {
    const auto& other = s.batch_receipts[0];
    ExpectBad(Edited(good,
                     [&](auto& d, auto& receipt, auto&) {
                       SetString(d, receipt["k"], other.key);
                       SetString(d, receipt["a"], other.assignment_id);
                       SetString(d, receipt["h"], other.answer_hash);
                     }),
              "is for assignment A1");  // in the batch, but another assignment's receipt
  }
  SECTION("the batch left out") {
    ExpectBad(Edited(good, [](auto& d, auto&, auto&) { d.RemoveMember("receipt_batch"); }),
              "signature");
  }
  SECTION("a batch from another key") {
    const auto other = mano::sync::ReceiptSigner::Generate();
    ExpectBad(Edited(good,
                     [&](auto& d, auto&, auto& batch) {
                       SetString(d, batch["sig"], other.SignBatch(s.batch_receipts));
                     }),
              "signature of the receipt batch");
  }
}

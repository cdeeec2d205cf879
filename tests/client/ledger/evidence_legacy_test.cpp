// Evidence for a receipt made before RFC 8785 (canonicalization version 1: no "cv", the answer
// hashed under the old rules, the receipt or its batch signed over the old text) keeps
// verifying, and its answer is still found and bound to the receipt.
#include "evidence_scenario.h"
#include "mano/client/ledger/evidence.h"
#include "mano/sync/json_util.h"

using mano::client::ledger::BuildEvidence;
using mano::client::ledger::VerifyEvidence;
using mano::test::EvidenceScenario;
using mano::test::LedgerFixture;

TEST_CASE("evidence of a version-1 receipt, alone or in a batch, still verifies") {
  for (const bool batch : {false, true}) {
    INFO("batch " << batch);
    LedgerFixture f;
    EvidenceScenario s(f, batch, 1);
    const auto evidence = BuildEvidence(f.store(), s.rejected_id);
    mano::sync::JsonDocument doc(evidence.json);
    const auto root = doc.Root();
    CHECK_FALSE(root.Member("receipt").Has("cv"));
    const auto answer = mano::sync::Answer::Read(root.Member("answer"));
    CHECK(answer.Hash() != answer.LegacyHash());  // the two versions differ for this answer
    CHECK(root.Str("answer_hash") == answer.LegacyHash());
    CHECK(root.Member("receipt").Str("h") == answer.LegacyHash());
    const auto check = VerifyEvidence(evidence.json, s.signer.PublicKeyBase64());
    INFO(check.problem);
    CHECK(check.ok);
    // The answer is still bound: changing it fails.
    const std::string changed =
        mano::test::Mutate(evidence.json, [](auto& d) { d["answer"]["rate"].SetDouble(0.0002); });
    CHECK_FALSE(VerifyEvidence(changed).ok);
  }
}

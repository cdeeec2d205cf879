// A rejected assignment with everything the evidence should hold: a draft, an outbox item,
// a receipt signed by a real Ed25519 key (by itself, or with `batch` as the second of three
// receipts of one signed batch), an anchor, the server's rejection event, and journal entries
// of another assignment in between.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "ledger_fixture.h"
#include "mano/sync/answer.h"
#include "mano/sync/messages.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"

namespace mano::test {

// Tampering helpers: `json` parsed, changed by `f`, written back compactly.
inline std::string Mutate(const std::string& json,
                          const std::function<void(rapidjson::Document&)>& f) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  f(doc);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  doc.Accept(w);
  return out.GetString();
}
inline void SetString(rapidjson::Document& d, rapidjson::Value& v, const std::string& s) {
  v.SetString(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), d.GetAllocator());
}

// What sync::BuildResult makes (the outbox body is one SubmitResult), without needing a form.
struct BuiltResult {
  std::string key, body, hash;
};
inline BuiltResult Built(const std::string& server_id, const sync::Answer& answer) {
  const std::string key = server_id + ":1";
  return {key, "{\"a\":\"" + server_id + "\",\"k\":\"" + key + "\",\"v\":" + answer.ToJson() + "}",
          answer.Hash()};
}

struct EvidenceScenario {
  sync::ReceiptSigner signer = sync::ReceiptSigner::Generate();
  int64_t rejected_id = 0;
  int64_t other_id = 0;
  static constexpr const char* kReason = "Answers copied from another worker";

  std::vector<sync::Receipt> batch_receipts;  // with `batch`: the signed batch

  // `cv`: the receipt's canonicalization version; 1 makes a receipt (and an answer whose v1
  // bytes differ from RFC 8785's) as stored before JCS.
  explicit EvidenceScenario(LedgerFixture& f, bool batch = false, int cv = 2) {
    f.AddAccount("acme", "USD", signer.PublicKeyBase64());
    rejected_id = f.Claim("acme", "A2", 1'000'000);
    other_id = f.Claim("acme", "A3", 50'000);
    sync::Answer answer;
    answer.Set("score", int64_t{3});
    answer.Set("comment", std::string("Relevant, but the page is slow"));
    if (cv == 1) answer.Set("rate", 0.0001);  // v1 "1e-04", JCS "0.0001"
    const auto saved = f.store().SaveCheckpoint(rejected_id, answer.ToJson(), "score:0");
    f.store().TEST_AddLegacyActiveTime("acme", other_id, 60'000, true);  // interleaved entry
    f.store().RecordAnchor(rejected_id, saved.sha256.substr(0, 32), f.clock().NowMs() + 1000, 0);
    const auto built = Built("A2", answer);
    const int64_t outbox = f.store().EnqueueResult(rejected_id, built.key, built.body, built.hash);
    f.store().MarkSending(outbox);
    sync::Receipt r;
    r.key = built.key;
    r.assignment_id = "A2";
    r.status = sync::ReceiptStatus::kAccepted;
    r.code = 200;
    r.server_time = f.clock().NowMs() + 2000;
    r.answer_hash = built.hash;
    r.canonical_version = cv;
    if (cv == 1) r.answer_hash = answer.LegacyHash();
    if (batch) {
      // Receipts of other results around it, signed together (the server's batch form).
      sync::Receipt before = r, after = r;
      before.key = before.assignment_id = "A1";
      before.answer_hash = std::string(64, 'b');
      after.key = after.assignment_id = "A4";
      after.status = sync::ReceiptStatus::kInvalid;
      after.code = 422;
      batch_receipts = {before, r, after};
      const storage::ReceiptBatch signed_batch{0, "acme", sync::CanonicalBatchBytes(batch_receipts),
                                               signer.SignBatch(batch_receipts), 0};
      f.store().ApplyReceipts(
          "acme", {storage::Receipt{r.key, "accepted", r.server_time, "", r.ToJson(), 0, 0}},
          signed_batch);
    } else {
      signer.SignInPlace(r);
      f.store().ApplyReceipts(
          "acme", {storage::Receipt{r.key, "accepted", r.server_time, r.sig, r.ToJson(), 0, 0}});
    }
    f.clock().Advance(LedgerFixture::kHour);
    f.Event("acme", 1, "rejected", "A2", f.clock().NowMs(),
            std::string("\"reason\":\"") + kReason + "\"");
    f.store().SetState(rejected_id, storage::AssignmentState::kRejected, kReason);
  }
};

}  // namespace mano::test

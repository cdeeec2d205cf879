#include "mano/client/ledger/evidence.h"

#include <catch2/catch.hpp>
#include <string>

#include "built_language.h"
#include "evidence_scenario.h"
#include "mano/sync/json_util.h"

using mano::client::ledger::BuildEvidence;
using mano::client::ledger::VerifyEvidence;
using mano::test::EvidenceScenario;
using mano::test::LedgerFixture;

using mano::test::Mutate;
using mano::test::SetString;

TEST_CASE("an evidence file holds the proof of a rejection and checks offline") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const auto evidence = BuildEvidence(f.store(), s.rejected_id);
  mano::sync::JsonDocument doc(evidence.json);
  const auto root = doc.Root();
  CHECK(root.Str("format") == "mano-evidence-v1");
  CHECK(root.Str("rejection_reason") == EvidenceScenario::kReason);
  CHECK(root.Member("answer").IntOf("score") == 3);
  CHECK(root.Str("answer_source") == "checkpoint");  // the outbox item was acknowledged
  CHECK(root.Member("receipt").Str("a") == "A2");
  CHECK(root.Member("anchors").Size() == 1);
  CHECK(root.Member("server_key").Str("key") == s.signer.PublicKeyBase64());
  CHECK(root.Member("server_key").Str("key_id") == s.signer.KeyId());
  // Entries of A3 in between appear as links only.
  const auto entries = root.Member("journal").Member("entries");
  bool saw_link = false;
  for (size_t i = 0; i < entries.Size(); ++i) saw_link |= !entries.At(i).Has("type");
  CHECK(saw_link);
  CHECK(evidence.summary.find(EvidenceScenario::kReason) != std::string::npos);
  CHECK(evidence.summary.find("Relevant, but the page is slow") != std::string::npos);
  CHECK(root.Str("summary") == evidence.summary);

  auto check = VerifyEvidence(evidence.json);
  INFO(check.problem);
  CHECK(check.ok);
  CHECK(check.passed.size() >= 4);
  CHECK(VerifyEvidence(evidence.json, s.signer.PublicKeyBase64()).ok);
}

TEST_CASE("any change to an evidence file is detected") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const std::string good = BuildEvidence(f.store(), s.rejected_id).json;
  REQUIRE(VerifyEvidence(good).ok);

  auto expect_bad = [](const std::string& json, const std::string& words) {
    auto check = VerifyEvidence(json);
    INFO(check.problem);
    CHECK_FALSE(check.ok);
    CHECK(check.problem.find(words) != std::string::npos);
  };
  SECTION("the answer") {
    expect_bad(Mutate(good, [](auto& d) { d["answer"]["score"].SetInt64(4); }), "answer");
  }
  SECTION("the answer and its recorded hash together") {
    auto bad = Mutate(good, [](auto& d) { d["answer"]["score"].SetInt64(4); });
    mano::sync::Answer changed;
    changed.Set("score", int64_t{4});
    changed.Set("comment", std::string("Relevant, but the page is slow"));
    bad = Mutate(bad, [&](auto& d) { SetString(d, d["answer_hash"], changed.Hash()); });
    expect_bad(bad, "not the answer the server signed for");
  }
  SECTION("the reason, in one place") {
    expect_bad(Mutate(good, [](auto& d) { SetString(d, d["rejection_reason"], "No reason"); }),
               "rejection reason");
  }
  SECTION("the reason, everywhere it appears") {
    std::string bad = good;
    const std::string from = EvidenceScenario::kReason;
    for (size_t p; (p = bad.find(from)) != std::string::npos;)
      bad.replace(p, from.size(), "Low effort");
    expect_bad(bad, "was changed after it was written");
  }
  SECTION("the signature") {
    expect_bad(Mutate(good,
                      [](auto& d) {
                        std::string sig = d["receipt"]["sig"].GetString();
                        sig[5] = sig[5] == 'A' ? 'B' : 'A';
                        SetString(d, d["receipt"]["sig"], sig);
                      }),
               "signature");
  }
  SECTION("the receipt's status") {
    expect_bad(Mutate(good, [](auto& d) { SetString(d, d["receipt"]["s"], "late_accepted"); }),
               "signature");
  }
  SECTION("the server key") {
    const auto other = mano::sync::ReceiptSigner::Generate();
    expect_bad(Mutate(good,
                      [&](auto& d) {
                        SetString(d, d["server_key"]["key"], other.PublicKeyBase64());
                        SetString(d, d["server_key"]["key_id"], other.KeyId());
                      }),
               "signature");
    auto check = VerifyEvidence(good, other.PublicKeyBase64());
    CHECK_FALSE(check.ok);
    CHECK(check.problem.find("not the key you gave") != std::string::npos);
  }
  SECTION("a journal entry removed") {
    expect_bad(Mutate(good,
                      [](auto& d) {
                        auto& entries = d["journal"]["entries"];
                        entries.Erase(entries.Begin() + 1);
                      }),
               "skips");
  }
  SECTION("the summary") {
    expect_bad(Mutate(good,
                      [](auto& d) {
                        std::string text = d["summary"].GetString();
                        text.replace(text.find("rejected"), 8, "approved");
                        SetString(d, d["summary"], text);
                      }),
               "summary");
  }
  SECTION("not an evidence file at all") {
    expect_bad("{\"hello\":1}", "not a mano evidence file");
    expect_bad("{not json", "not valid JSON");
    expect_bad(Mutate(good, [](auto& d) { d.RemoveMember("journal"); }), "damaged");
  }
}

TEST_CASE("evidence for an assignment still in the outbox, with no receipt yet") {
  LedgerFixture f;
  f.AddAccount("acme", "USD");
  const int64_t id = f.Claim("acme", "A9", 10'000);
  mano::sync::Answer answer;
  answer.Set("score", int64_t{1});
  f.store().SaveCheckpoint(id, answer.ToJson(), "");
  const auto built = mano::test::Built("A9", answer);
  f.store().EnqueueResult(id, built.key, built.body, built.hash);
  const auto evidence = BuildEvidence(f.store(), id);
  mano::sync::JsonDocument doc(evidence.json);
  CHECK(doc.Root().Str("answer_source") == "outbox");
  CHECK_FALSE(doc.Root().Has("receipt"));
  CHECK(evidence.summary.find("No receipt from the server.") != std::string::npos);
  CHECK(VerifyEvidence(evidence.json).ok);  // no receipt: the answer, journal and summary
}

TEST_CASE("a draft that is not what the server signed is left out of the evidence") {
  LedgerFixture f;
  const auto signer = mano::sync::ReceiptSigner::Generate();
  f.AddAccount("acme", "USD", signer.PublicKeyBase64());
  const int64_t id = f.Claim("acme", "A5", 10'000);
  mano::sync::Answer draft, sent;
  draft.Set("score", int64_t{0});
  sent.Set("score", int64_t{2});
  f.store().SaveCheckpoint(id, draft.ToJson(), "");
  const auto built = mano::test::Built("A5", sent);
  f.store().MarkSending(f.store().EnqueueResult(id, built.key, built.body, built.hash));
  mano::sync::Receipt r;
  r.key = built.key;
  r.assignment_id = "A5";
  r.server_time = f.clock().NowMs();
  r.answer_hash = built.hash;
  signer.SignInPlace(r);
  f.store().ApplyReceipts(
      "acme", {mano::storage::Receipt{r.key, "accepted", r.server_time, r.sig, r.ToJson(), 0, 0}});
  const auto evidence = BuildEvidence(f.store(), id);
  mano::sync::JsonDocument doc(evidence.json);
  CHECK_FALSE(doc.Root().Has("answer"));
  CHECK(evidence.summary.find("no longer on this machine") != std::string::npos);
  const auto check = VerifyEvidence(evidence.json, signer.PublicKeyBase64());
  INFO(check.problem);
  CHECK(check.ok);
}

TEST_CASE(
    "the verifier and the printed summary speak the worker's language; the stored summary stays "
    "English") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const std::string english = BuildEvidence(f.store(), s.rejected_id).json;
  mano::test::BuiltLanguage spanish_words("es");
  const auto spanish = BuildEvidence(f.store(), s.rejected_id);
  const auto good = VerifyEvidence(spanish.json);
  const auto old_file = VerifyEvidence(english);
  const auto bad =
      VerifyEvidence(Mutate(spanish.json, [](auto& d) { d["answer"]["score"].SetInt64(4); }));
  const auto not_json = VerifyEvidence("{");
  spanish_words.Restore();

  // The summary is data: the same English bytes whoever wrote the file.
  mano::sync::JsonDocument doc(spanish.json), old_doc(english);
  CHECK(doc.Root().Str("summary") == old_doc.Root().Str("summary"));
  CHECK(spanish.summary.find("Evidence kept by mano for assignment") == 0);
  // The worker reads the same facts in her language (printed, never stored).
  INFO(spanish.worker_summary);
  CHECK(spanish.worker_summary.find("Pruebas guardadas por mano de la asignación A2") == 0);
  CHECK(spanish.worker_summary.find("Motivo del rechazo que dio el servidor: «") !=
        std::string::npos);
  CHECK(spanish.worker_summary.find("Recibo firmado por el servidor") != std::string::npos);
  CHECK(spanish.worker_summary.find("Evidence") == std::string::npos);
  CHECK(spanish.json.find("Pruebas guardadas") == std::string::npos);
  INFO(good.problem);
  REQUIRE(good.ok);
  CHECK(old_file.ok);
  std::string passed;
  for (const auto& line : good.passed) passed += line + "\n";
  INFO(passed);
  CHECK(passed.find("está firmado con la clave") != std::string::npos);
  CHECK(passed.find("El resumen en texto plano corresponde a los datos.") != std::string::npos);
  CHECK(passed.find("entradas del diario sobre esta asignación están intactas") !=
        std::string::npos);
  CHECK(passed.find("The ") == std::string::npos);
  CHECK_FALSE(bad.ok);
  CHECK(bad.problem.find("La respuesta de este archivo") == 0);
  CHECK(not_json.problem ==
        "Este archivo no es JSON válido, así que no es un archivo de pruebas "
        "de mano.");
}

// The published test vectors (docs/vectors/canonical-json.json, written by the independent
// Python implementation tests/python/make_vectors.py) against the C++ implementation: RFC 8785
// numbers and samples, answers -> canonical bytes -> SHA-256, answers refused, receipts and
// batches -> signed bytes -> Ed25519 signature under the published test key.
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mano/sync/answer.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;

namespace {

std::string VectorsText() {
  const char* dir = std::getenv("MANO_SOURCE_DIR");
  REQUIRE(dir);
  std::ifstream in(std::string(dir) + "/docs/vectors/canonical-json.json", std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Vectors {
  std::string text = VectorsText();
  JsonDocument doc{text};
  JsonIn root = doc.Root();
};

double FromBits(const std::string& hex) {
  return std::bit_cast<double>(static_cast<std::uint64_t>(std::stoull(hex, nullptr, 16)));
}

Receipt ReceiptOf(const JsonIn& in, int cv) {
  Receipt r = Receipt::Read(in);
  r.canonical_version = cv;
  return r;
}

}  // namespace

TEST_CASE("RFC 8785 Appendix B: every number as ECMAScript writes it") {
  Vectors v;
  JsonIn numbers = v.root.Member("numbers");
  REQUIRE(numbers.Size() >= 20);
  for (std::size_t i = 0; i < numbers.Size(); ++i) {
    const std::string bits = numbers.At(i).Str("bits");
    INFO(bits);
    CHECK(JcsNumber(FromBits(bits)) == numbers.At(i).Str("jcs"));
  }
  JsonIn refused = v.root.Member("numbers_refused");
  for (std::size_t i = 0; i < refused.Size(); ++i) {
    CHECK_THROWS_AS(JcsNumber(FromBits(refused.At(i).String())), SyncError);
  }
}

TEST_CASE("RFC 8785 samples and JSON texts canonicalize to the published bytes") {
  Vectors v;
  JsonIn list = v.root.Member("json");
  for (std::size_t i = 0; i < list.Size(); ++i) {
    INFO(list.At(i).Str("name"));
    CHECK(JcsCanonicalize(list.At(i).Str("input")) == list.At(i).Str("jcs"));
  }
}

TEST_CASE("Answers: canonical bytes and hashes as published; inexact numbers refused") {
  Vectors v;
  JsonIn list = v.root.Member("answers");
  REQUIRE(list.Size() >= 5);
  for (std::size_t i = 0; i < list.Size(); ++i) {
    INFO(list.At(i).Str("name"));
    const Answer answer = Answer::FromJson(list.At(i).Str("input"));
    CHECK(answer.ToJson() == list.At(i).Str("canonical"));
    CHECK(answer.Hash() == list.At(i).Str("sha256"));
    CHECK(answer.HashFor(kCanonJcs) == answer.Hash());
    // The canonical form reads back to the same answer.
    CHECK(Answer::FromJson(answer.ToJson()) == answer);
  }
  JsonIn refused = v.root.Member("answers_refused");
  REQUIRE(refused.Size() >= 5);
  for (std::size_t i = 0; i < refused.Size(); ++i) {
    INFO(refused.At(i).Str("name"));
    CHECK_THROWS_WITH(Answer::FromJson(refused.At(i).Str("input")), Catch::Contains("2^53 - 1"));
  }
}

TEST_CASE("Receipts: signed bytes and signatures under the published test key") {
  Vectors v;
  JsonIn key = v.root.Member("test_key");
  const ReceiptSigner signer = ReceiptSigner::FromSecretKeyBase64(key.Str("secret_key_base64"));
  CHECK(signer.PublicKeyBase64() == key.Str("public_key_base64"));
  CHECK(signer.KeyId() == key.Str("key_id"));
  const ReceiptVerifier verifier = ReceiptVerifier::FromBase64(key.Str("public_key_base64"));
  JsonIn list = v.root.Member("receipts");
  REQUIRE(list.Size() >= 3);
  for (std::size_t i = 0; i < list.Size(); ++i) {
    INFO(list.At(i).Str("name"));
    const Receipt r = Receipt::Read(list.At(i).Member("receipt"));
    CHECK(CanonicalReceiptBytes(r) == list.At(i).Str("signed_bytes"));
    CHECK(signer.Sign(r) == list.At(i).Str("sig"));  // Ed25519 is deterministic
    CHECK(verifier.Verify(r));
    // Written and read back (as the client stores it), it still verifies.
    CHECK(verifier.Verify(Receipt::FromJson(r.ToJson())));
    Receipt other = r;
    other.canonical_version =
        r.canonical_version == kCanonJcs ? kCanonLegacy : kCanonJcs;  // the version is signed too
    CHECK_FALSE(verifier.Verify(other));
  }
}

TEST_CASE("Batches: signed bytes, signature, and one reading of the bytes") {
  Vectors v;
  const ReceiptSigner signer =
      ReceiptSigner::FromSecretKeyBase64(v.root.Member("test_key").Str("secret_key_base64"));
  const ReceiptVerifier verifier(signer.PublicKey());
  JsonIn list = v.root.Member("batches");
  REQUIRE(list.Size() >= 2);
  for (std::size_t i = 0; i < list.Size(); ++i) {
    INFO(list.At(i).Str("name"));
    const int cv = static_cast<int>(list.At(i).IntOf("cv"));
    std::vector<Receipt> receipts;
    JsonIn rs = list.At(i).Member("receipts");
    for (std::size_t j = 0; j < rs.Size(); ++j) receipts.push_back(ReceiptOf(rs.At(j), cv));
    const std::string bytes = list.At(i).Str("signed_bytes");
    CHECK(CanonicalBatchBytes(receipts) == bytes);
    CHECK(signer.SignBatch(receipts) == list.At(i).Str("sig"));
    CHECK(verifier.VerifyBatch(bytes, list.At(i).Str("sig")));
    const auto parsed = ParseBatchBytes(bytes);
    REQUIRE(parsed);
    REQUIRE(parsed->size() == receipts.size());
    for (std::size_t j = 0; j < receipts.size(); ++j) CHECK(FindInBatch(*parsed, receipts[j]) == j);
    // A single receipt's signature never passes for a batch's.
    CHECK_FALSE(verifier.VerifyBatch(CanonicalReceiptBytes(receipts[0]), signer.Sign(receipts[0])));
  }
}

TEST_CASE("JCS strings: lower-case \\u00xx, short forms, nothing else escaped") {
  std::string out;
  JcsAppendString(out, std::string("\x1f\x0b\b\f\n\r\t\"\\/\x7f\xc3\xa9", 13));
  CHECK(out == "\"\\u001f\\u000b\\b\\f\\n\\r\\t\\\"\\\\/\x7f\xc3\xa9\"");
  // A JCS batch that is not exactly canonical (a space) has no reading.
  CHECK_FALSE(ParseBatchBytes("{\"cv\":2, \"m\":\"mano-receipts\",\"r\":[]}"));
}

TEST_CASE("Version 1 keeps its rules: legacy answer JSON and hash differ where JCS differs") {
  const Answer a = Answer::FromJson("{\"n\":\"x\\u001fy\",\"v\":0.0001}");
  CHECK(a.LegacyJson() == "{\"n\":\"x\\u001Fy\",\"v\":1e-04}");
  CHECK(a.ToJson() == "{\"n\":\"x\\u001fy\",\"v\":0.0001}");
  CHECK(a.LegacyHash() == Sha256Hex(a.LegacyJson()));
  CHECK(a.HashFor(kCanonLegacy) == a.LegacyHash());
  CHECK(a.Hash() != a.LegacyHash());
}

TEST_CASE("A result's own h travels, and a batch receipt carries the server's h when it differs") {
  SubmitResult result;
  result.assignment_id = "2s9";
  result.answer = Answer::FromJson(R"({"score":1})");
  result.answer_hash = result.answer.Hash();
  JsonOut out;
  result.Write(out);
  const std::string json = out.Take();
  CHECK(json.find("\"h\":\"" + result.answer_hash + "\"") != std::string::npos);
  JsonDocument doc(json);
  CHECK(SubmitResult::Read(doc.Root()).answer_hash == result.answer_hash);
  JsonDocument bad(R"({"a":"2s9","v":{"score":1},"h":"ABC"})");
  CHECK_THROWS_AS(SubmitResult::Read(bad.Root()), SyncError);

  // The server's h differs from what the sender said: written; equal: left out.
  SubmitReply reply;
  reply.server_time = 1795000200000;
  Receipt r;
  r.key = r.assignment_id = "2s9";
  r.server_time = reply.server_time;
  r.answer_hash = result.answer_hash;
  reply.receipts = {r};
  reply.sig = "x";
  const std::string same = reply.ToBatchJson({ReceiptDefaults{"2s9", "2s9", result.answer_hash}});
  CHECK(same.find("\"h\"") == std::string::npos);
  CHECK(same.find("\"cv\":2") != std::string::npos);
  const std::string differs =
      reply.ToBatchJson({ReceiptDefaults{"2s9", "2s9", std::string(64, '0')}});
  CHECK(differs.find("\"h\":\"" + result.answer_hash + "\"") != std::string::npos);
}

TEST_CASE("A batch reply names its version; one without cv (a server before JCS) fills v1 hashes") {
  const std::vector<ReceiptDefaults> sent = {{"2s9", "2s9", "jcs-hash", "legacy-hash"}};
  JsonDocument v2(R"({"t":5,"sig":"x","cv":2,"receipts":[{"s":"accepted"}]})");
  const SubmitReply now = SubmitReply::Read(v2.Root(), &sent);
  CHECK(now.receipts[0].canonical_version == kCanonJcs);
  CHECK(now.receipts[0].answer_hash == "jcs-hash");
  JsonDocument v1(R"({"t":5,"sig":"x","receipts":[{"s":"accepted"}]})");
  const SubmitReply before = SubmitReply::Read(v1.Root(), &sent);
  CHECK(before.receipts[0].canonical_version == kCanonLegacy);
  CHECK(before.receipts[0].answer_hash == "legacy-hash");
  JsonDocument unknown(R"({"t":5,"sig":"x","cv":3,"receipts":[{"s":"accepted"}]})");
  CHECK_THROWS_AS(SubmitReply::Read(unknown.Root(), &sent), SyncError);
}

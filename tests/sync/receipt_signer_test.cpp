#include "mano/sync/receipt_signer.h"

#include <catch2/catch.hpp>

#include "mano/sync/jcs.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;

namespace {

Receipt Sample() {
  return Receipt{"2s9",
                 "2s9",
                 ReceiptStatus::kAccepted,
                 200,
                 1795000000123,
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 "",
                 "",
                 kCanonLegacy};  // the legacy bytes; version 2's: jcs_vectors_test
}

}  // namespace

TEST_CASE("Canonical receipt bytes are the documented text") {
  CHECK(CanonicalReceiptBytes(Sample()) ==
        "mano-receipt-v1\nk=2s9\na=2s9\ns=accepted\nc=200\nt=1795000000123\n"
        "h=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
}

TEST_CASE("A signed receipt verifies, also after a JSON round trip") {
  ReceiptSigner signer = ReceiptSigner::Generate();
  Receipt r = Sample();
  signer.SignInPlace(r);
  ReceiptVerifier verifier = ReceiptVerifier::FromBase64(signer.ToReceiptKey().key);
  CHECK(verifier.Verify(r));
  CHECK(verifier.Verify(Receipt::FromJson(r.ToJson())));
  CHECK_NOTHROW(verifier.Check(r));
  CHECK(verifier.KeyId() == signer.KeyId());
  CHECK(signer.KeyId().size() == 8);
  r.error = "advisory text is not covered";
  CHECK(verifier.Verify(r));
}

TEST_CASE("Tampered receipts, bad signatures and wrong keys fail") {
  ReceiptSigner signer = ReceiptSigner::Generate();
  ReceiptVerifier verifier(signer.PublicKey());
  Receipt r = Sample();
  signer.SignInPlace(r);

  Receipt tampered = r;
  tampered.status = ReceiptStatus::kDuplicate;
  CHECK_FALSE(verifier.Verify(tampered));
  tampered = r;
  tampered.server_time += 1;
  CHECK_FALSE(verifier.Verify(tampered));
  tampered = r;
  tampered.answer_hash[0] = 'f';
  CHECK_FALSE(verifier.Verify(tampered));
  tampered = r;
  tampered.key = "2s9:2";
  CHECK_FALSE(verifier.Verify(tampered));

  Receipt bad_sig = r;
  bad_sig.sig = "not base64!";
  CHECK_FALSE(verifier.Verify(bad_sig));
  bad_sig.sig = "AAAA";
  CHECK_FALSE(verifier.Verify(bad_sig));
  bad_sig.sig = "";
  CHECK_FALSE(verifier.Verify(bad_sig));
  bad_sig = r;
  bad_sig.sig[5] = bad_sig.sig[5] == 'A' ? 'B' : 'A';
  CHECK_FALSE(verifier.Verify(bad_sig));

  ReceiptVerifier other(ReceiptSigner::Generate().PublicKey());
  CHECK_FALSE(other.Verify(r));
  try {
    other.Check(r);
    FAIL("Check did not throw");
  } catch (const SyncError& e) {
    CHECK(e.kind() == SyncErrorKind::kSignature);
  }
}

TEST_CASE("Secret keys round trip through base64; malformed keys are config errors") {
  ReceiptSigner a = ReceiptSigner::Generate();
  ReceiptSigner b = ReceiptSigner::FromSecretKeyBase64(a.SecretKeyBase64());
  CHECK(a.PublicKeyBase64() == b.PublicKeyBase64());
  Receipt r = Sample();
  b.SignInPlace(r);
  CHECK(ReceiptVerifier(a.PublicKey()).Verify(r));
  CHECK(a.Sign(r) == b.Sign(r));  // Ed25519 is deterministic
  CHECK_THROWS_AS(ReceiptSigner::FromSecretKeyBase64("AAAA"), SyncError);
  CHECK_THROWS_AS(ReceiptSigner::FromSecretKeyBase64("%%%"), SyncError);
  CHECK_THROWS_AS(ReceiptVerifier::FromBase64("AAAA"), SyncError);
  CHECK_THROWS_AS(ReceiptVerifier(std::string(31, 'x')), SyncError);
  ReceiptSigner moved = std::move(a);
  CHECK(moved.KeyId() == b.KeyId());
}

// Ed25519 receipts (libsodium crypto_sign_detached): the server signs each receipt over its
// canonical bytes, or all receipts of a reply at once over their canonical batch bytes
// (receipt_batch.h); the client verifies with the key it pinned at login.
//
// Canonical receipt bytes (docs/PROTOCOL.md, "Receipts"), by the receipt's cv:
//   2: RFC 8785 (JCS) of {"a","c","cv":2,"h","k","m":"mano-receipt","s","t"};
//   1 (legacy, receipts made before JCS): the UTF-8 text
//   "mano-receipt-v1\n" "k=<k>\n" "a=<a>\n" "s=<status name>\n" "c=<code>\n" "t=<t>\n" "h=<h>\n"
// with numbers in decimal; "sig" and "e" are not covered (e is advisory). Ids cannot hold a
// newline (IsValidId), so the encoding is unambiguous.
// ReceiptSigner holds the secret key in sodium_malloc'ed memory, wiped on destruction.
// Both classes are immutable after construction and safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/messages.h"

namespace mano::sync {

std::string CanonicalReceiptBytes(const Receipt& receipt);
// Version 1's bytes (whatever receipt.cv says); CanonicalReceiptBytes uses them for cv 1 only.
std::string LegacyReceiptBytes(const Receipt& receipt);
// The JCS members a, c, cv (when not 1), h, k of `receipt`, comma-separated, no braces.
void AppendJcsReceiptMembers(std::string& out, const Receipt& receipt);
// The 8-hex key id of a raw 32-byte public key: hex of the first 4 bytes of its sha256.
std::string KeyIdOf(std::string_view public_key);

class ReceiptSigner {
 public:
  // A fresh key pair.
  static ReceiptSigner Generate();
  // From the standard-base64 64-byte libsodium secret key (as SecretKeyBase64 wrote it);
  // throws SyncError{kConfig} when malformed.
  static ReceiptSigner FromSecretKeyBase64(std::string_view secret_b64);

  ReceiptSigner(ReceiptSigner&&) noexcept;
  ReceiptSigner& operator=(ReceiptSigner&&) noexcept;
  ~ReceiptSigner();

  std::string SecretKeyBase64() const;
  std::string PublicKey() const;  // raw 32 bytes
  std::string PublicKeyBase64() const;
  std::string KeyId() const;
  // What GET /.well-known/mano/receipt-key serves.
  ReceiptKey ToReceiptKey() const;

  // Base64 signature over CanonicalReceiptBytes(receipt).
  std::string Sign(const Receipt& receipt) const;
  // Sets receipt.sig.
  void SignInPlace(Receipt& receipt) const { receipt.sig = Sign(receipt); }
  // Base64 signature over CanonicalBatchBytes(receipts).
  std::string SignBatch(const std::vector<Receipt>& receipts) const;

 private:
  ReceiptSigner();
  unsigned char* secret_ = nullptr;  // 64 bytes, sodium_malloc
  std::string public_;               // 32 bytes
};

class ReceiptVerifier {
 public:
  // From a raw 32-byte public key; throws SyncError{kConfig} on the wrong length.
  explicit ReceiptVerifier(std::string public_key);
  // From standard base64 (ReceiptKey::key); throws SyncError{kConfig}.
  static ReceiptVerifier FromBase64(std::string_view public_key_b64);

  // True when receipt.sig is a valid signature of its canonical bytes by this key.
  // Never throws: a malformed signature is simply false.
  bool Verify(const Receipt& receipt) const;
  // Throws SyncError{kSignature} naming the receipt's key when Verify is false.
  void Check(const Receipt& receipt) const;
  // True when `sig_b64` is a valid signature by this key of `batch_bytes`, which must begin
  // with the batch header (kBatchBytesHeader). Never throws.
  bool VerifyBatch(std::string_view batch_bytes, std::string_view sig_b64) const;

  const std::string& public_key() const { return public_; }
  std::string KeyId() const { return KeyIdOf(public_); }

 private:
  std::string public_;
};

}  // namespace mano::sync

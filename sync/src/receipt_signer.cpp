#include "mano/sync/receipt_signer.h"

#include <sodium.h>

#include <utility>

#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {
namespace {

std::string SignMessage(const unsigned char* secret, std::string_view msg) {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       secret);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

bool VerifyMessage(const std::string& public_key, std::string_view msg, std::string_view sig_b64) {
  std::string sig;
  try {
    sig = Base64Decode(sig_b64);
  } catch (const SyncError&) {
    return false;
  }
  if (sig.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                     reinterpret_cast<const unsigned char*>(public_key.data())) ==
         0;
}

}  // namespace

void AppendJcsReceiptMembers(std::string& out, const Receipt& r) {
  // Members in JCS order: a, c, h, k, ... (the caller adds cv and m where they belong).
  out += "\"a\":";
  JcsAppendString(out, r.assignment_id);
  out += ",\"c\":" + std::to_string(r.code) + ",";
  if (r.canonical_version != 1) out += "\"cv\":" + std::to_string(r.canonical_version) + ",";
  out += "\"h\":";
  JcsAppendString(out, r.answer_hash);
  out += ",\"k\":";
  JcsAppendString(out, r.key);
}

std::string CanonicalReceiptBytes(const Receipt& r) {
  if (r.canonical_version == kCanonLegacy) return LegacyReceiptBytes(r);
  // {"a":..,"c":..,"cv":2,"h":..,"k":..,"m":"mano-receipt","s":..,"t":..}: RFC 8785 of the
  // receipt's signed members (c and t are integers far below 2^53: JCS writes them in decimal).
  std::string out = "{";
  AppendJcsReceiptMembers(out, r);
  out += ",\"m\":\"mano-receipt\",\"s\":";
  JcsAppendString(out, ReceiptStatusName(r.status));
  out += ",\"t\":" + std::to_string(r.server_time) + "}";
  return out;
}

std::string LegacyReceiptBytes(const Receipt& r) {
  std::string out = "mano-receipt-v1\n";
  out += "k=" + r.key + "\n";
  out += "a=" + r.assignment_id + "\n";
  out += std::string("s=") + ReceiptStatusName(r.status) + "\n";
  out += "c=" + std::to_string(r.code) + "\n";
  out += "t=" + std::to_string(r.server_time) + "\n";
  out += "h=" + r.answer_hash + "\n";
  return out;
}

std::string KeyIdOf(std::string_view public_key) { return Sha256Hex(public_key).substr(0, 8); }

ReceiptSigner::ReceiptSigner() {
  EnsureSodium();
  secret_ = static_cast<unsigned char*>(sodium_malloc(crypto_sign_SECRETKEYBYTES));
  if (!secret_) throw SyncError(SyncErrorKind::kInternal, "sodium_malloc failed");
}

ReceiptSigner::ReceiptSigner(ReceiptSigner&& other) noexcept
    : secret_(std::exchange(other.secret_, nullptr)), public_(std::move(other.public_)) {}

ReceiptSigner& ReceiptSigner::operator=(ReceiptSigner&& other) noexcept {
  if (this != &other) {
    if (secret_) sodium_free(secret_);
    secret_ = std::exchange(other.secret_, nullptr);
    public_ = std::move(other.public_);
  }
  return *this;
}

ReceiptSigner::~ReceiptSigner() {
  if (secret_) sodium_free(secret_);  // sodium_free wipes the memory first
}

ReceiptSigner ReceiptSigner::Generate() {
  ReceiptSigner s;
  s.public_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(s.public_.data()), s.secret_);
  return s;
}

ReceiptSigner ReceiptSigner::FromSecretKeyBase64(std::string_view secret_b64) {
  std::string raw;
  try {
    raw = Base64Decode(secret_b64);
  } catch (const SyncError&) {
    throw SyncError(SyncErrorKind::kConfig, "receipt secret key is not base64");
  }
  if (raw.size() != crypto_sign_SECRETKEYBYTES) {
    sodium_memzero(raw.data(), raw.size());
    throw SyncError(SyncErrorKind::kConfig, "receipt secret key has the wrong length");
  }
  ReceiptSigner s;
  std::copy(raw.begin(), raw.end(), s.secret_);
  sodium_memzero(raw.data(), raw.size());
  s.public_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(s.public_.data()), s.secret_);
  return s;
}

std::string ReceiptSigner::SecretKeyBase64() const {
  return Base64Encode(
      std::string_view(reinterpret_cast<const char*>(secret_), crypto_sign_SECRETKEYBYTES));
}

std::string ReceiptSigner::PublicKey() const { return public_; }
std::string ReceiptSigner::PublicKeyBase64() const { return Base64Encode(public_); }
std::string ReceiptSigner::KeyId() const { return KeyIdOf(public_); }

ReceiptKey ReceiptSigner::ToReceiptKey() const {
  return ReceiptKey{"ed25519", PublicKeyBase64(), KeyId()};
}

std::string ReceiptSigner::Sign(const Receipt& receipt) const {
  return SignMessage(secret_, CanonicalReceiptBytes(receipt));
}

std::string ReceiptSigner::SignBatch(const std::vector<Receipt>& receipts) const {
  return SignMessage(secret_, CanonicalBatchBytes(receipts));
}

ReceiptVerifier::ReceiptVerifier(std::string public_key) : public_(std::move(public_key)) {
  EnsureSodium();
  if (public_.size() != crypto_sign_PUBLICKEYBYTES) {
    throw SyncError(SyncErrorKind::kConfig, "receipt public key has the wrong length");
  }
}

ReceiptVerifier ReceiptVerifier::FromBase64(std::string_view public_key_b64) {
  try {
    return ReceiptVerifier(Base64Decode(public_key_b64));
  } catch (const SyncError& e) {
    if (e.kind() == SyncErrorKind::kConfig) throw;
    throw SyncError(SyncErrorKind::kConfig, "receipt public key is not base64");
  }
}

bool ReceiptVerifier::Verify(const Receipt& receipt) const {
  return VerifyMessage(public_, CanonicalReceiptBytes(receipt), receipt.sig);
}

bool ReceiptVerifier::VerifyBatch(std::string_view batch_bytes, std::string_view sig_b64) const {
  // Batch bytes of either version, never a single receipt's (whose JCS object has "a" first).
  constexpr std::string_view kJcsStart = "{\"cv\":2,\"m\":\"mano-receipts\",";
  const bool jcs = batch_bytes.substr(0, kJcsStart.size()) == kJcsStart;
  if (!jcs && batch_bytes.substr(0, kBatchBytesHeader.size()) != kBatchBytesHeader) return false;
  return VerifyMessage(public_, batch_bytes, sig_b64);
}

void ReceiptVerifier::Check(const Receipt& receipt) const {
  if (!Verify(receipt)) {
    throw SyncError(SyncErrorKind::kSignature,
                    "receipt for " + receipt.key + " does not verify with the pinned server key",
                    "sig");
  }
}

}  // namespace mano::sync

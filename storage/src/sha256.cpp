#include "mano/storage/sha256.h"

#include <sodium.h>

namespace mano::storage {
namespace {

static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(Sha256{}) &&
              alignof(crypto_hash_sha256_state) <= 8);

// sodium_init is idempotent and thread-safe; it fails only when it cannot open the system's
// random source, which hashing does not use, so the result is not checked.
void InitSodium() {
  static const int init = sodium_init();
  (void)init;
}

}  // namespace

Sha256::Sha256() {
  InitSodium();
  crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_));
}

void Sha256::Update(std::string_view data) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_),
                            reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::array<uint8_t, 32> Sha256::Finish() {
  std::array<uint8_t, 32> digest;
  static_assert(crypto_hash_sha256_BYTES == 32);
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), digest.data());
  return digest;
}

std::string Sha256Hex(std::string_view data) {
  InitSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string hex(2 * sizeof digest + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();  // the terminating NUL
  return hex;
}

}  // namespace mano::storage

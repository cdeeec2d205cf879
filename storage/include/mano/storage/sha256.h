// SHA-256 for checkpoint content hashes, the journal's hash chain, assets and imports:
// libsodium's crypto_hash_sha256, written in hex by sodium_bin2hex. The one hash of the
// project (sync's crypto_util names the same Sha256Hex). Thread-safe (no shared state); a
// Sha256 object itself is not shared between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mano::storage {

// Incremental hashing of data that arrives in pieces (files, streams).
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Finishes the hash; the object must not be updated afterwards.
  std::array<uint8_t, 32> Finish();

 private:
  // libsodium's crypto_hash_sha256_state, kept opaque so sodium.h stays out of this header
  // (the .cpp checks the size).
  alignas(8) unsigned char state_[104];
};

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace mano::storage

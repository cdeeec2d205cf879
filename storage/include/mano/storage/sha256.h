// A compact SHA-256 (FIPS 180-4), bundled so storage depends on nothing but SQLite.
// Used for checkpoint content hashes and the journal's hash chain. Thread-safe
// (no shared state); a Sha256 object itself is not shared between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mano::storage {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Finishes the hash; the object must not be updated afterwards.
  std::array<uint8_t, 32> Finish();

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  uint64_t total_ = 0;
  size_t used_ = 0;
};

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace mano::storage

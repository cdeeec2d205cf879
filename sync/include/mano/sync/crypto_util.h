// Hashing and base64 helpers over libsodium (crypto_hash_sha256, sodium_bin2base64).
//
// Initialises libsodium on first use (sodium_init is idempotent and thread-safe).
// Decoders throw SyncError{kBadMessage} on malformed input. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "mano/storage/sha256.h"

namespace mano::sync {

// Raw 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);
// Lower-case hex SHA-256 of `data` (64 chars): storage's, so the project has one.
using storage::Sha256Hex;

std::string HexEncode(std::string_view bytes);  // lower-case
std::string HexDecode(std::string_view hex);    // throws on odd length or non-hex

// Standard base64 with padding (keys, signatures, Upload-Checksum).
std::string Base64Encode(std::string_view bytes);
std::string Base64Decode(std::string_view text);
// base64url without padding (bearer tokens, ids).
std::string Base64UrlEncode(std::string_view bytes);
std::string Base64UrlDecode(std::string_view text);

// `n` bytes from the operating system's CSPRNG (randombytes_buf).
std::string RandomBytes(std::size_t n);
// A new bearer token: 32 random bytes, base64url without padding (43 chars).
std::string NewToken();
// Constant-time comparison of equal-length strings (sodium_memcmp); false when lengths differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Ensures sodium_init() ran; throws SyncError{kInternal} if libsodium cannot start.
void EnsureSodium();

}  // namespace mano::sync

// A zstd dictionary (GET /v1/dict/<kind>): raw bytes plus the prepared compression and
// decompression tables, built once and reused for every small batch of that kind.
//
// Owns its ZSTD_CDict/ZSTD_DDict (RAII). Immutable after construction: safe to use from
// several threads at once. Throws SyncError{kBadMessage} when bytes are not a dictionary.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace mano::sync {

class ZstdDictionary {
 public:
  // `bytes` is a dictionary as produced by Train (or the zstd CLI's --train).
  explicit ZstdDictionary(std::string bytes, int level = 3);
  ~ZstdDictionary();
  ZstdDictionary(const ZstdDictionary&) = delete;
  ZstdDictionary& operator=(const ZstdDictionary&) = delete;

  // Trains a dictionary of at most `capacity` bytes from sample messages
  // (ZDICT_trainFromBuffer). Throws SyncError{kBadMessage} when the samples are too few.
  static std::string Train(const std::vector<std::string>& samples, std::size_t capacity);

  const std::string& bytes() const { return bytes_; }
  // The dictionary id written into frames (0 for a raw-content dictionary).
  std::uint32_t id() const { return id_; }
  int level() const { return level_; }

  const ZSTD_CDict_s* cdict() const { return cdict_; }
  const ZSTD_DDict_s* ddict() const { return ddict_; }

 private:
  std::string bytes_;
  int level_;
  std::uint32_t id_ = 0;
  ZSTD_CDict_s* cdict_ = nullptr;
  ZSTD_DDict_s* ddict_ = nullptr;
};

}  // namespace mano::sync

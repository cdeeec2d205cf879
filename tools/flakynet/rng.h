#pragma once

// SplitMix64: a tiny seeded generator whose output is fixed by its algorithm, so a seed
// gives the same schedule on every machine and standard library (std:: distributions do
// not promise that). Not thread-safe; not for cryptography.

#include <cstdint>

namespace mano::flakynet {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [lo, hi] (inclusive); returns lo when hi <= lo. The modulo bias is
  // below 2^-40 for the ranges flakynet uses, which is fine for a test fixture.
  uint64_t Between(uint64_t lo, uint64_t hi) {
    if (hi <= lo) return lo;
    return lo + Next() % (hi - lo + 1);
  }

  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace mano::flakynet

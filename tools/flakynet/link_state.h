#pragma once

// LinkState: what every connection of one Proxy shares — the current profile, the two
// bandwidth buckets (the link's capacity is shared, as on a real line), whether a
// blackout is on, the one-shot global cut counters, and the counters reported by
// `stats`. Owned by the Proxy; connections hold a reference. Not thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "link_profile.h"
#include "pipe.h"
#include "token_bucket.h"

namespace mano::flakynet {

// Tokens a starved direction waits for before it reads again: small enough to keep the
// cap smooth, large enough that a 64 kbit/s link does not wake every millisecond.
inline uint64_t ReadGrant(const TokenBucket& bucket) {
  return bucket.burst() < 1024 ? bucket.burst() : 1024;
}

struct LinkCounters {
  uint64_t bytes_up = 0;     // bytes delivered to the server
  uint64_t bytes_down = 0;   // bytes delivered to the client
  uint64_t connections = 0;  // connections accepted (refused ones included)
  uint64_t refused = 0;      // connections reset at once during a `refuse` blackout
  uint64_t requests = 0;     // "HTTP/1.1\r\n" request lines delivered to the server
  uint64_t cuts = 0;         // connections cut (by reset or by stall)
  // The same requests by "METHOD /path" (e.g. "POST /v1/submit"): requests per pass.
  std::map<std::string, uint64_t> paths;
};

struct LinkState {
  LinkState(const LinkProfile& p, TimePoint now)
      : profile(p),
        up_bucket(p.rate.up, EffectiveBurst(p.rate.up, p.burst), now),
        down_bucket(p.rate.down, EffectiveBurst(p.rate.down, p.burst), now) {}

  TokenBucket& bucket(Direction d) { return d == Direction::kUp ? up_bucket : down_bucket; }
  uint32_t delay_ms(Direction d) const {
    return d == Direction::kUp ? profile.delay_ms.up : profile.delay_ms.down;
  }
  std::optional<uint64_t>& global_cut(Direction d) {
    return d == Direction::kUp ? global_cut_up : global_cut_down;
  }

  LinkProfile profile;
  TokenBucket up_bucket;
  TokenBucket down_bucket;
  bool blackout = false;
  // Bytes left before the one-shot global cut, per direction (nullopt = not armed).
  std::optional<uint64_t> global_cut_up;
  std::optional<uint64_t> global_cut_down;
  LinkCounters counters;
};

}  // namespace mano::flakynet

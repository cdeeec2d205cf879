#pragma once

// Schedule: the seeded, reproducible part of a bad link. From (profile, seed) it derives
// (1) the blackout timeline, as windows in milliseconds since the schedule's epoch (the
// proxy's start, or the last `profile` change), and (2) for the n-th connection accepted,
// whether it will be cut at random, after how many bytes, and, for `mixed` cut mode,
// whether by reset or by stall. The same profile and seed give the same schedule on every
// run and machine; DumpJson() prints it so tests can compare runs.
//
// Blackout windows are generated lazily as time advances. Not thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "link_profile.h"
#include "rng.h"

namespace mano::flakynet {

struct BlackoutWindow {
  int64_t start_ms;  // inclusive
  int64_t end_ms;    // exclusive
};

struct ConnectionPlan {
  bool random_cut = false;  // cut after `after_bytes` bytes, both ways together
  uint64_t after_bytes = 0;
  CutMode mixed_mode = CutMode::kReset;  // the mode to use when the profile says kMixed
};

class Schedule {
 public:
  Schedule(const LinkProfile& profile, uint64_t seed);

  // Whether `t_ms` (since the epoch) falls inside a scheduled blackout.
  bool InBlackout(int64_t t_ms);

  // The first time after `t_ms` at which InBlackout() changes value; INT64_MAX if never.
  int64_t NextChange(int64_t t_ms);

  // The fate of the connection with this 0-based accept index; a pure function.
  ConnectionPlan PlanFor(uint64_t index) const;

  // Every blackout window that starts before `horizon_ms`.
  std::vector<BlackoutWindow> BlackoutsUntil(int64_t horizon_ms);

  // One line of JSON: seed, profile, blackouts before the horizon, and the plans of the
  // first `connections` connections.
  std::string DumpJson(int64_t horizon_ms, uint64_t connections);

 private:
  void ExtendTo(int64_t t_ms);

  LinkProfile profile_;
  uint64_t seed_;
  SplitMix64 blackout_rng_;
  int64_t generated_until_ = 0;  // windows are known for every time before this
  std::vector<BlackoutWindow> windows_;
};

}  // namespace mano::flakynet

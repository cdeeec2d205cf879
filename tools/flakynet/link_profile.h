#pragma once

// LinkProfile: every knob of the bad link flakynet plays, and the named profiles
// (`good`, `3g`, `caracas`, `damascus`). A profile is plain data: the Proxy reads it on
// every step, so a change made through the control socket takes effect at once (limits
// on a connection's byte count apply to connections opened after the change).
//
// Set() is the one parser for a knob's value, shared by the command line (`--rate-up`,
// `--set key=value`) and the control socket (`set key value`). Not thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mano::flakynet {

enum class CutMode { kReset, kStall, kMixed };  // kMixed: seeded choice per connection
enum class CutScope { kConnection, kGlobal };
enum class BlackoutMode { kStall, kRefuse };

struct LinkProfile {
  std::string name = "good";

  // Bandwidth in bytes per second each way (0 = unlimited); up = client to server.
  uint64_t rate_up = 0;
  uint64_t rate_down = 0;
  // Token bucket depth in bytes; 0 = automatic (see EffectiveBurst).
  uint64_t burst = 0;
  // One-way latency in milliseconds.
  uint32_t delay_up_ms = 0;
  uint32_t delay_down_ms = 0;

  // Cut after this many bytes in a direction (0 = never). With kConnection scope every
  // connection is cut when it reaches the count; with kGlobal scope the count runs over
  // all connections from the moment it was set, and the cut happens once (one-shot).
  uint64_t cut_after_up = 0;
  uint64_t cut_after_down = 0;
  CutMode cut_mode = CutMode::kReset;
  CutScope cut_scope = CutScope::kConnection;

  // Random cuts in the middle of transfers: each connection, with probability
  // `cut_chance`, is cut after a seeded number of bytes (both ways together) drawn
  // uniformly from [cut_min_bytes, cut_max_bytes].
  double cut_chance = 0;
  uint64_t cut_min_bytes = 0;
  uint64_t cut_max_bytes = 0;

  // Scheduled blackouts: quiet gaps drawn from [every_min, every_max] ms, each followed
  // by a blackout lasting [blackout_min, blackout_max] ms. every_max == 0 disables them.
  uint64_t blackout_every_min_ms = 0;
  uint64_t blackout_every_max_ms = 0;
  uint64_t blackout_min_ms = 0;
  uint64_t blackout_max_ms = 0;
  BlackoutMode blackout_mode = BlackoutMode::kStall;

  // The named profile, or nullopt if the name is unknown.
  static std::optional<LinkProfile> Named(std::string_view name);
  static std::vector<std::string> Names();

  // Sets one knob from text. Keys accept '-' or '_'. Rates take a plain number of bytes
  // per second or a number with a unit: kbit, mbit, kb, mb (e.g. "384kbit").
  // Returns an empty string on success, else a one-sentence error.
  std::string Set(std::string_view key, std::string_view value);

  // One line of JSON with every knob.
  std::string ToJson() const;

  bool HasBlackouts() const { return blackout_every_max_ms > 0 && blackout_max_ms > 0; }
};

// The bucket depth used for `rate`: the explicit burst if set, else 20 ms worth of
// bytes, at least 1460 (one TCP segment) so a slow link still moves whole segments.
uint64_t EffectiveBurst(uint64_t rate, uint64_t burst);

const char* ToString(CutMode mode);
const char* ToString(CutScope scope);
const char* ToString(BlackoutMode mode);

}  // namespace mano::flakynet

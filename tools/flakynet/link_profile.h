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

// A knob with one value each way; up = client to server.
template <typename T>
struct UpDown {
  T up = 0;
  T down = 0;
};

// The bounds [min, max] a value is drawn from, uniformly.
struct Range {
  uint64_t min = 0;
  uint64_t max = 0;
};

struct LinkProfile {
  std::string name = "good";

  UpDown<uint64_t> rate;  // bandwidth in bytes per second (0 = unlimited)
  // Token bucket depth in bytes; 0 = automatic (see EffectiveBurst).
  uint64_t burst = 0;
  UpDown<uint32_t> delay_ms;  // one-way latency

  // Cut after this many bytes in a direction (0 = never). With kConnection scope every
  // connection is cut when it reaches the count; with kGlobal scope the count runs over
  // all connections from the moment it was set, and the cut happens once (one-shot).
  UpDown<uint64_t> cut_after;
  CutMode cut_mode = CutMode::kReset;
  CutScope cut_scope = CutScope::kConnection;

  // Random cuts in the middle of transfers: each connection, with probability
  // `cut_chance`, is cut after a seeded number of bytes (both ways together) drawn from
  // `cut_bytes`.
  double cut_chance = 0;
  Range cut_bytes;

  // Scheduled blackouts: quiet gaps drawn from `blackout_every_ms`, each followed by a
  // blackout lasting a time drawn from `blackout_ms`. blackout_every_ms.max == 0 disables them.
  Range blackout_every_ms;
  Range blackout_ms;
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

  bool HasBlackouts() const { return blackout_every_ms.max > 0 && blackout_ms.max > 0; }
};

// The bucket depth used for `rate`: the explicit burst if set, else 20 ms worth of
// bytes, at least 1460 (one TCP segment) so a slow link still moves whole segments.
uint64_t EffectiveBurst(uint64_t rate, uint64_t burst);

const char* ToString(CutMode mode);
const char* ToString(CutScope scope);
const char* ToString(BlackoutMode mode);

}  // namespace mano::flakynet

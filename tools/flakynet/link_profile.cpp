#include "link_profile.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

namespace mano::flakynet {
namespace {

constexpr uint64_t kKbit = 1000 / 8;
constexpr uint64_t kMbit = 1000 * 1000 / 8;

std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "250000", "384kbit", "2mbit", "64kb", "1mb" -> bytes per second.
std::optional<uint64_t> ParseRate(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
  if (ec != std::errc() || end != text.data() + digits) return std::nullopt;
  std::string_view unit = text.substr(digits);
  double scale = 1;
  if (unit == "kbit") {
    scale = 1000.0 / 8;
  } else if (unit == "mbit") {
    scale = 1000.0 * 1000 / 8;
  } else if (unit == "kb") {
    scale = 1000;
  } else if (unit == "mb") {
    scale = 1000 * 1000;
  } else if (!unit.empty() && unit != "b") {
    return std::nullopt;
  }
  return static_cast<uint64_t>(number * scale);
}

template <typename Enum, size_t N>
std::optional<Enum> ParseEnum(std::string_view text,
                              const std::pair<const char*, Enum> (&table)[N]) {
  for (const auto& [name, value] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

constexpr std::pair<const char*, CutMode> kCutModes[] = {
    {"reset", CutMode::kReset}, {"stall", CutMode::kStall}, {"mixed", CutMode::kMixed}};
constexpr std::pair<const char*, CutScope> kCutScopes[] = {{"connection", CutScope::kConnection},
                                                           {"global", CutScope::kGlobal}};
constexpr std::pair<const char*, BlackoutMode> kBlackoutModes[] = {
    {"stall", BlackoutMode::kStall}, {"refuse", BlackoutMode::kRefuse}};

}  // namespace

std::optional<LinkProfile> LinkProfile::Named(std::string_view name) {
  LinkProfile p;
  p.name = std::string(name);
  if (name == "good") return p;
  if (name == "3g") {
    p.rate = {.up = 384 * kKbit, .down = 1 * kMbit};
    p.delay_ms = {100, 100};
    return p;
  }
  if (name == "caracas") {
    p.rate = {2 * kMbit, 2 * kMbit};
    p.delay_ms = {150, 150};
    p.blackout_every_ms = {120'000, 300'000};
    p.blackout_ms = {5'000, 60'000};
    return p;
  }
  if (name == "damascus") {
    p.rate = {64 * kKbit, 64 * kKbit};
    p.delay_ms = {300, 300};
    p.cut_chance = 0.3;
    p.cut_bytes = {512, 64 * 1024};
    p.cut_mode = CutMode::kMixed;
    p.blackout_every_ms = {50'000, 50'000};
    p.blackout_ms = {10'000, 10'000};
    return p;
  }
  // Damascus's line without its cuts and blackouts, at two latencies: what round trips
  // cost when nothing else goes wrong (the issue 20 benchmark).
  if (name == "latency300" || name == "latency1000") {
    p.rate = {64 * kKbit, 64 * kKbit};
    const uint32_t delay = name == "latency300" ? 300 : 1000;
    p.delay_ms = {delay, delay};
    return p;
  }
  return std::nullopt;
}

std::vector<std::string> LinkProfile::Names() {
  return {"good", "3g", "caracas", "damascus", "latency300", "latency1000"};
}

std::string LinkProfile::Set(std::string_view key_in, std::string_view value) {
  std::string key(key_in);
  std::replace(key.begin(), key.end(), '-', '_');
  auto bad = [&](const char* what) {
    return "bad value '" + std::string(value) + "' for " + key + ": expected " + what;
  };

  if (key == "rate" || key == "rate_up" || key == "rate_down") {
    auto parsed = ParseRate(value);
    if (!parsed) return bad("bytes per second, or a number with kbit, mbit, kb or mb");
    if (key != "rate_down") rate.up = *parsed;
    if (key != "rate_up") rate.down = *parsed;
    return "";
  }
  // Sets `field` from one of `table`'s names; on failure lists the names.
  auto set_enum = [&](auto& field, const auto& table) -> std::string {
    if (auto parsed = ParseEnum(value, table)) {
      field = *parsed;
      return "";
    }
    std::string names;
    for (const auto& entry : table) names += std::string(names.empty() ? "" : ", ") + entry.first;
    return bad(names.c_str());
  };
  if (key == "cut_mode") return set_enum(cut_mode, kCutModes);
  if (key == "cut_scope") return set_enum(cut_scope, kCutScopes);
  if (key == "blackout_mode") return set_enum(blackout_mode, kBlackoutModes);
  if (key == "cut_chance") {
    double chance = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), chance);
    if (ec != std::errc() || end != value.data() + value.size() || chance < 0 || chance > 1) {
      return bad("a probability between 0 and 1");
    }
    cut_chance = chance;
    return "";
  }

  auto number = ParseUnsigned(value);
  if (key == "delay" || key == "delay_up" || key == "delay_down") {
    if (!number || *number > 600'000) return bad("milliseconds, at most 600000");
    if (key != "delay_down") delay_ms.up = static_cast<uint32_t>(*number);
    if (key != "delay_up") delay_ms.down = static_cast<uint32_t>(*number);
    return "";
  }
  const std::pair<const char*, uint64_t*> numbers[] = {
      {"burst", &burst},
      {"cut_after_up", &cut_after.up},
      {"cut_after_down", &cut_after.down},
      {"cut_min", &cut_bytes.min},
      {"cut_max", &cut_bytes.max},
      {"blackout_every_min", &blackout_every_ms.min},
      {"blackout_every_max", &blackout_every_ms.max},
      {"blackout_min", &blackout_ms.min},
      {"blackout_max", &blackout_ms.max},
  };
  for (const auto& [name, field] : numbers) {
    if (key == name) {
      if (!number) return bad("a whole non-negative number");
      *field = *number;
      return "";
    }
  }
  return "unknown setting '" + key + "'";
}

std::string LinkProfile::ToJson() const {
  std::ostringstream out;
  out << "{\"profile\":\"" << name << "\",\"rate_up\":" << rate.up << ",\"rate_down\":" << rate.down
      << ",\"burst_up\":" << EffectiveBurst(rate.up, burst)
      << ",\"burst_down\":" << EffectiveBurst(rate.down, burst) << ",\"delay_up\":" << delay_ms.up
      << ",\"delay_down\":" << delay_ms.down << ",\"cut_after_up\":" << cut_after.up
      << ",\"cut_after_down\":" << cut_after.down << ",\"cut_mode\":\"" << ToString(cut_mode)
      << "\",\"cut_scope\":\"" << ToString(cut_scope) << "\",\"cut_chance\":" << cut_chance
      << ",\"cut_min\":" << cut_bytes.min << ",\"cut_max\":" << cut_bytes.max
      << ",\"blackout_every_min\":" << blackout_every_ms.min
      << ",\"blackout_every_max\":" << blackout_every_ms.max
      << ",\"blackout_min\":" << blackout_ms.min << ",\"blackout_max\":" << blackout_ms.max
      << ",\"blackout_mode\":\"" << ToString(blackout_mode) << "\"}";
  return out.str();
}

uint64_t EffectiveBurst(uint64_t rate, uint64_t burst) {
  if (burst > 0) return burst;
  return std::max<uint64_t>(1460, rate / 50);
}

namespace {

template <typename Enum, size_t N>
const char* NameOf(Enum value, const std::pair<const char*, Enum> (&table)[N]) {
  for (const auto& [name, entry] : table) {
    if (entry == value) return name;
  }
  return "?";
}

}  // namespace

const char* ToString(CutMode mode) { return NameOf(mode, kCutModes); }
const char* ToString(CutScope scope) { return NameOf(scope, kCutScopes); }
const char* ToString(BlackoutMode mode) { return NameOf(mode, kBlackoutModes); }

}  // namespace mano::flakynet

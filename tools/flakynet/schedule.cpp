#include "schedule.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace mano::flakynet {
namespace {

constexpr uint64_t kBlackoutStream = 0x6A09E667F3BCC908ULL;
constexpr uint64_t kConnectionStream = 0xD1B54A32D192ED03ULL;

}  // namespace

Schedule::Schedule(const LinkProfile& profile, uint64_t seed)
    : profile_(profile), seed_(seed), blackout_rng_(seed ^ kBlackoutStream) {}

void Schedule::ExtendTo(int64_t t_ms) {
  if (!profile_.HasBlackouts()) {
    generated_until_ = std::numeric_limits<int64_t>::max();
    return;
  }
  while (generated_until_ <= t_ms) {
    uint64_t gap =
        blackout_rng_.Between(profile_.blackout_every_ms.min, profile_.blackout_every_ms.max);
    uint64_t length = blackout_rng_.Between(profile_.blackout_ms.min, profile_.blackout_ms.max);
    // A gap of 0 would glue windows together; keep at least 1 ms of link between them.
    int64_t start = generated_until_ + static_cast<int64_t>(std::max<uint64_t>(gap, 1));
    int64_t end = start + static_cast<int64_t>(std::max<uint64_t>(length, 1));
    windows_.push_back({start, end});
    generated_until_ = end;
  }
}

bool Schedule::InBlackout(int64_t t_ms) {
  ExtendTo(t_ms);
  // Windows are sorted and disjoint; find the last one starting at or before t.
  auto it = std::upper_bound(windows_.begin(), windows_.end(), t_ms,
                             [](int64_t t, const BlackoutWindow& w) { return t < w.start_ms; });
  if (it == windows_.begin()) return false;
  --it;
  return t_ms < it->end_ms;
}

int64_t Schedule::NextChange(int64_t t_ms) {
  if (!profile_.HasBlackouts()) return std::numeric_limits<int64_t>::max();
  ExtendTo(t_ms);
  for (const auto& w : windows_) {
    if (w.start_ms > t_ms) return w.start_ms;
    if (w.end_ms > t_ms) return w.end_ms;
  }
  return generated_until_;  // unreachable: ExtendTo guarantees a window past t
}

ConnectionPlan Schedule::PlanFor(uint64_t index) const {
  SplitMix64 rng(seed_ ^ ((index + 1) * kConnectionStream));
  ConnectionPlan plan;
  double draw = rng.Unit();
  plan.random_cut = profile_.cut_chance > 0 && draw < profile_.cut_chance;
  uint64_t lo = std::max<uint64_t>(profile_.cut_bytes.min, 1);
  uint64_t hi = std::max(lo, profile_.cut_bytes.max);
  plan.after_bytes = rng.Between(lo, hi);
  plan.mixed_mode = (rng.Next() & 1) ? CutMode::kStall : CutMode::kReset;
  if (!plan.random_cut) plan.after_bytes = 0;
  return plan;
}

std::vector<BlackoutWindow> Schedule::BlackoutsUntil(int64_t horizon_ms) {
  ExtendTo(horizon_ms);
  std::vector<BlackoutWindow> out;
  for (const auto& w : windows_) {
    if (w.start_ms < horizon_ms) out.push_back(w);
  }
  return out;
}

std::string Schedule::DumpJson(int64_t horizon_ms, uint64_t connections) {
  std::ostringstream out;
  out << "{\"seed\":" << seed_ << ",\"profile\":\"" << profile_.name
      << "\",\"horizon_ms\":" << horizon_ms << ",\"blackouts\":[";
  bool first = true;
  for (const auto& w : BlackoutsUntil(horizon_ms)) {
    out << (first ? "" : ",") << "[" << w.start_ms << "," << w.end_ms << "]";
    first = false;
  }
  out << "],\"cuts\":[";
  first = true;
  for (uint64_t i = 0; i < connections; ++i) {
    ConnectionPlan plan = PlanFor(i);
    if (!plan.random_cut) continue;
    CutMode mode = profile_.cut_mode == CutMode::kMixed ? plan.mixed_mode : profile_.cut_mode;
    out << (first ? "" : ",") << "{\"connection\":" << i << ",\"after_bytes\":" << plan.after_bytes
        << ",\"mode\":\"" << ToString(mode) << "\"}";
    first = false;
  }
  out << "]}";
  return out.str();
}

}  // namespace mano::flakynet

#include "proxy.h"

#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <sstream>

#include "net.h"

namespace mano::flakynet {
namespace {

constexpr Direction kBothWays[] = {Direction::kUp, Direction::kDown};
constexpr Millis kAcceptRetry{100};

bool ChangesGlobalCut(std::string_view key) {
  std::string k(key);
  std::replace(k.begin(), k.end(), '-', '_');
  return k == "cut_after_up" || k == "cut_after_down" || k == "cut_scope";
}

}  // namespace

Proxy::Proxy(Poller& poller, const sockaddr_in& listen, const sockaddr_in& target,
             const LinkProfile& profile, uint64_t seed)
    : poller_(poller),
      target_(target),
      seed_(seed),
      listener_(ListenTcp(listen)),
      start_(Clock::now()),
      epoch_(start_),
      since_(start_),
      link_(profile, start_),
      schedule_(profile, seed) {
  ApplyProfile(start_, /*rearm_global_cut=*/true);
  poller_.Watch(listener_.get(), EPOLLIN, this);
}

Proxy::~Proxy() {
  connections_.clear();
  poller_.Forget(listener_.get());
}

sockaddr_in Proxy::listen_address() const { return LocalAddress(listener_.get()); }

void Proxy::OnEvent(int fd, uint32_t /*events*/) {
  if (fd == listener_.get()) Accept();
}

void Proxy::Accept() {
  UpdateBlackout(Clock::now());
  for (;;) {
    sync::UniqueFd client = AcceptNonBlocking(listener_.get());
    if (!client.valid()) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        // Out of descriptors or memory: the listener stays readable, so stop watching it
        // for a moment instead of spinning on it.
        poller_.Forget(listener_.get());
        accept_retry_ = Clock::now() + kAcceptRetry;
      }
      return;
    }
    ++link_.counters.connections;
    ConnectionPlan plan = schedule_.PlanFor(next_index_++);
    if (link_.blackout && link_.profile.blackout_mode == BlackoutMode::kRefuse) {
      ++link_.counters.refused;
      SetAbortiveClose(client.get());
      continue;
    }
    sync::UniqueFd server = ConnectTcpNonBlocking(target_);
    if (!server.valid()) {
      SetAbortiveClose(client.get());
      continue;
    }
    connections_.push_back(
        std::make_unique<Connection>(std::move(client), std::move(server), plan, link_, poller_));
  }
}

void Proxy::Tick() {
  ++wakeups_;
  if (accept_retry_ && Clock::now() >= *accept_retry_) {
    accept_retry_.reset();
    poller_.Watch(listener_.get(), EPOLLIN, this);
  }
  UpdateBlackout(Clock::now());
  PumpAll();
  Sweep();
}

int Proxy::TimeoutMs() {
  TimePoint now = Clock::now();
  std::optional<TimePoint> next;
  auto consider = [&](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  bool starved[2] = {false, false};
  for (const auto& c : connections_) {
    if (auto t = c->NextDeadline(now)) consider(*t);
    for (Direction d : kBothWays) starved[static_cast<int>(d)] |= c->token_starved(d);
  }
  for (Direction d : kBothWays) {
    TokenBucket& bucket = link_.bucket(d);
    if (starved[static_cast<int>(d)]) consider(bucket.WhenAvailable(ReadGrant(bucket), now));
  }
  int64_t change = schedule_.NextChange(SinceEpochMs(now));
  if (change != std::numeric_limits<int64_t>::max()) consider(epoch_ + Millis(change));
  if (manual_blackout_end_) consider(*manual_blackout_end_);
  if (accept_retry_) consider(*accept_retry_);
  if (!next) return -1;
  if (*next <= now) return 0;
  // Round up: waking early would find nothing due and spin.
  auto wait = std::chrono::ceil<Millis>(*next - now).count();
  return static_cast<int>(std::min<int64_t>(wait, std::numeric_limits<int>::max()));
}

void Proxy::UpdateBlackout(TimePoint now) {
  if (manual_blackout_end_ && now >= *manual_blackout_end_) manual_blackout_end_.reset();
  link_.blackout = manual_blackout_end_.has_value() || schedule_.InBlackout(SinceEpochMs(now));
}

void Proxy::PumpAll() {
  for (const auto& c : connections_) c->Pump();
}

void Proxy::Sweep() {
  connections_.remove_if([](const auto& c) { return c->state() == Connection::State::kClosed; });
}

void Proxy::ApplyProfile(TimePoint now, bool rearm_global_cut) {
  const LinkProfile& p = link_.profile;
  link_.up_bucket.Configure(p.rate.up, EffectiveBurst(p.rate.up, p.burst), now);
  link_.down_bucket.Configure(p.rate.down, EffectiveBurst(p.rate.down, p.burst), now);
  schedule_ = Schedule(p, seed_);
  if (rearm_global_cut) {
    bool global = p.cut_scope == CutScope::kGlobal;
    link_.global_cut_up.reset();
    link_.global_cut_down.reset();
    if (global && p.cut_after.up > 0) link_.global_cut_up = p.cut_after.up;
    if (global && p.cut_after.down > 0) link_.global_cut_down = p.cut_after.down;
  }
  UpdateBlackout(now);
}

std::string Proxy::StatsJson() {
  TimePoint now = Clock::now();
  UpdateBlackout(now);
  size_t active = 0;
  size_t stalled = 0;
  for (const auto& c : connections_) {
    if (c->state() != Connection::State::kClosed) ++active;
    if (c->state() == Connection::State::kStalled) ++stalled;
  }
  const LinkCounters& n = link_.counters;
  std::ostringstream out;
  out << "{\"bytes_up\":" << n.bytes_up << ",\"bytes_down\":" << n.bytes_down
      << ",\"connections\":" << n.connections << ",\"active\":" << active
      << ",\"stalled\":" << stalled << ",\"requests\":" << n.requests << ",\"cuts\":" << n.cuts
      << ",\"refused\":" << n.refused << ",\"blackout\":" << (link_.blackout ? "true" : "false")
      << ",\"clock_ms\":" << MillisBetween(start_, now)
      << ",\"since_ms\":" << MillisBetween(start_, since_) << ",\"wakeups\":" << wakeups_
      << ",\"paths\":{";
  const char* comma = "";
  for (const auto& [name, count] : n.paths) {
    out << comma << '"' << name << "\":" << count;  // names carry no quote or backslash
    comma = ",";
  }
  out << "}}";
  return out.str();
}

void Proxy::ResetStats() {
  link_.counters = LinkCounters{};
  since_ = Clock::now();
}

size_t Proxy::CutAll(CutMode mode) {
  size_t cut = 0;
  for (const auto& c : connections_) cut += c->CutNow(mode) ? 1 : 0;
  return cut;
}

void Proxy::BlackoutFor(uint64_t ms) {
  TimePoint now = Clock::now();
  if (ms == 0) {
    manual_blackout_end_.reset();
  } else {
    manual_blackout_end_ = now + Millis(ms);
  }
  UpdateBlackout(now);
  PumpAll();
}

std::string Proxy::Set(std::string_view key, std::string_view value) {
  std::string error = link_.profile.Set(key, value);
  if (!error.empty()) return error;
  ApplyProfile(Clock::now(), ChangesGlobalCut(key));
  PumpAll();
  return "";
}

std::string Proxy::UseProfile(std::string_view name) {
  auto profile = LinkProfile::Named(name);
  if (!profile) return "unknown profile '" + std::string(name) + "'";
  link_.profile = *profile;
  epoch_ = Clock::now();
  ApplyProfile(epoch_, /*rearm_global_cut=*/true);
  PumpAll();
  return "";
}

std::string Proxy::ScheduleJson(int64_t horizon_ms, uint64_t connections) {
  // A fresh Schedule: the dump is a pure function of profile and seed.
  Schedule fresh(link_.profile, seed_);
  return fresh.DumpJson(horizon_ms, connections);
}

}  // namespace mano::flakynet

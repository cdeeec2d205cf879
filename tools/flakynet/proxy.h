#pragma once

// Proxy: the flakynet link. Accepts TCP connections on the listen address, connects each
// to the target, and plays the bad link described by a LinkProfile and a seed (see
// connection.h for what happens to each connection, schedule.h for the seeded part).
//
// The caller drives it from one loop:
//   while (running) { proxy.Tick(); poller.WaitAndDispatch(proxy.TimeoutMs()); }
// Tick() does the work that time makes due (blackouts starting or ending, delayed bytes,
// refilled bandwidth); TimeoutMs() is the wait until the next such moment, -1 if none, so
// an idle proxy sleeps in epoll_wait with no timer at all.
//
// The public methods after Tick() are what the control socket offers; each returns
// the one-line reply. Blackouts: existing connections stall until it ends; new ones are
// accepted and stall too (`blackout_mode stall`, the default, like a link that lets the
// handshake through and then nothing), or are accepted and reset at once
// (`blackout_mode refuse`). Setup errors throw std::system_error. Not thread-safe.

#include <netinet/in.h>

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "clock.h"
#include "connection.h"
#include "link_state.h"
#include "mano/sync/unique_fd.h"
#include "poller.h"
#include "schedule.h"

namespace mano::flakynet {

class Proxy : public EventHandler {
 public:
  Proxy(Poller& poller, const sockaddr_in& listen, const sockaddr_in& target,
        const LinkProfile& profile, uint64_t seed);
  ~Proxy() override;

  // The address actually listened on (the port is chosen when 0 was asked for).
  sockaddr_in listen_address() const;

  void OnEvent(int fd, uint32_t events) override;  // new connections
  void Tick();
  int TimeoutMs();

  // Control operations.
  std::string StatsJson();        // one line of JSON, see README.md
  void ResetStats();              // zero the counters, restart the `since` clock
  size_t CutAll(CutMode mode);    // returns how many connections were cut
  void BlackoutFor(uint64_t ms);  // 0 ends a manual blackout
  std::string Set(std::string_view key, std::string_view value);  // "" or an error
  std::string UseProfile(std::string_view name);                  // "" or an error
  std::string ProfileJson() const { return link_.profile.ToJson(); }
  std::string ScheduleJson(int64_t horizon_ms, uint64_t connections);

 private:
  void Accept();
  // Brings buckets, schedule and blackout in line with a changed profile; re-arms the
  // one-shot global cut counters when asked.
  void ApplyProfile(TimePoint now, bool rearm_global_cut);
  int64_t SinceEpochMs(TimePoint now) const { return MillisBetween(epoch_, now); }
  void UpdateBlackout(TimePoint now);
  void PumpAll();
  void Sweep();

  Poller& poller_;
  sockaddr_in target_;
  uint64_t seed_;
  sync::UniqueFd listener_;
  TimePoint start_;
  TimePoint epoch_;  // time 0 of the blackout schedule
  TimePoint since_;  // when the counters were last reset
  LinkState link_;
  Schedule schedule_;
  std::optional<TimePoint> manual_blackout_end_;
  std::optional<TimePoint> accept_retry_;  // when to watch the listener again after EMFILE
  uint64_t next_index_ = 0;  // accept index, the key into the schedule's connection plans
  uint64_t wakeups_ = 0;
  std::list<std::unique_ptr<Connection>> connections_;
};

}  // namespace mano::flakynet

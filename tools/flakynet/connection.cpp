#include "connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>

#include "net.h"

namespace mano::flakynet {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// How long to wait before looking again whether the peer has acknowledged the last bytes
// before a reset. On loopback this takes microseconds; a peer that does not read at all
// would keep them unacknowledged, so the wait doubles up to a cap rather than poll fast.
constexpr Millis kFirstDrainRecheck{2};
constexpr Millis kMaxDrainRecheck{256};
constexpr Direction kBothWays[] = {Direction::kUp, Direction::kDown};

}  // namespace

Connection::Connection(sync::UniqueFd client, sync::UniqueFd server, const ConnectionPlan& plan,
                       LinkState& link, Poller& poller)
    : client_(std::move(client)),
      server_(std::move(server)),
      plan_(plan),
      link_(link),
      poller_(poller) {
  if (link_.profile.cut_scope == CutScope::kConnection) {
    up_.cut_limit = link_.profile.cut_after.up;
    down_.cut_limit = link_.profile.cut_after.down;
  }
  UpdateInterest(Clock::now());
}

Connection::~Connection() {
  if (client_.valid()) poller_.Forget(client_.get());
  if (server_.valid()) poller_.Forget(server_.get());
}

void Connection::OnEvent(int fd, uint32_t events) {
  switch (state_) {
    case State::kClosed:
      return;
    case State::kConnecting:
      if (fd == server_.get()) FinishConnect();
      return;
    case State::kStalled:
      // Only EPOLLRDHUP/HUP/ERR are watched: a peer gave up on the dead link.
      Close();
      return;
    case State::kOpen:
      break;
  }
  if ((events & EPOLLERR) && SocketError(fd) != 0) {
    Abort();
    return;
  }
  if (events & EPOLLOUT) {
    pipe(fd == server_.get() ? Direction::kUp : Direction::kDown).ClearWriteBlocked();
  }
  Pump();
}

void Connection::FinishConnect() {
  if (SocketError(server_.get()) != 0) {
    // The target refused: let the client see a failure, not a clean end.
    SetAbortiveClose(client_.get());
    Close();
    return;
  }
  state_ = State::kOpen;
  Pump();
}

void Connection::Pump() {
  if (state_ != State::kOpen) {
    if (state_ != State::kClosed) UpdateInterest(Clock::now());
    return;
  }
  TimePoint now = Clock::now();
  if (!link_.blackout) {
    for (Direction d : kBothWays) {
      if (!PumpDirection(d, now)) return;
    }
    if (up_.dest_shut && down_.dest_shut) {
      Close();
      return;
    }
  }
  UpdateInterest(now);
}

bool Connection::PumpDirection(Direction d, TimePoint now) {
  Pipe& p = pipe(d);
  if (!Flush(d, now)) return false;
  p.token_starved = false;
  if (CanRead(d)) {
    size_t allowance = ReadAllowance(d, now);
    if (allowance > 0) {
      Pipe::IoResult r = p.ReadFrom(source_fd(d), allowance, now + Millis(link_.delay_ms(d)));
      if (r.error != 0) {
        Abort();
        return false;
      }
      if (r.eof) p.source_eof = true;
      if (r.bytes > 0) {
        AccountRead(d, r.bytes);
        if (!Flush(d, now)) return false;
      }
    }
    TokenBucket& bucket = link_.bucket(d);
    p.token_starved =
        CanRead(d) && !bucket.unlimited() && bucket.Available(now) < ReadGrant(bucket);
  }
  if (p.source_eof && p.empty() && !p.dest_shut && !p.cut_pending) {
    ::shutdown(dest_fd(d), SHUT_WR);
    p.dest_shut = true;
  }
  if (p.cut_pending && p.empty()) return FinishPendingCut(d, now);
  return true;
}

bool Connection::Flush(Direction d, TimePoint now) {
  Pipe::IoResult r = pipe(d).WriteDue(dest_fd(d), now);
  if (d == Direction::kUp) {
    link_.counters.bytes_up += r.bytes;
    link_.counters.requests += r.request_lines;
    for (const auto& name : r.requests) ++link_.counters.paths[name];
  } else {
    link_.counters.bytes_down += r.bytes;
  }
  if (r.error != 0) {
    Abort();
    return false;
  }
  return true;
}

bool Connection::CanRead(Direction d) const {
  const Pipe& p = pipe(d);
  return state_ == State::kOpen && !link_.blackout && !p.source_eof && !p.cut_pending &&
         p.room() > 0;
}

size_t Connection::ReadAllowance(Direction d, TimePoint now) {
  const Pipe& p = pipe(d);
  uint64_t allowance = std::min<uint64_t>(kReadChunk, p.room());
  allowance = std::min(allowance, link_.bucket(d).Available(now));
  if (p.cut_limit > 0) allowance = std::min(allowance, p.cut_limit - p.bytes_read());
  if (auto& global = link_.global_cut(d)) allowance = std::min(allowance, *global);
  if (plan_.random_cut) {
    uint64_t both = up_.bytes_read() + down_.bytes_read();
    allowance = std::min(allowance, plan_.after_bytes - std::min(plan_.after_bytes, both));
  }
  return static_cast<size_t>(allowance);
}

void Connection::AccountRead(Direction d, uint64_t bytes) {
  Pipe& p = pipe(d);
  link_.bucket(d).Take(bytes);
  if (p.cut_limit > 0 && p.bytes_read() >= p.cut_limit) p.cut_pending = true;
  if (auto& global = link_.global_cut(d)) {
    *global -= std::min(*global, bytes);
    if (*global == 0) {
      p.cut_pending = true;
      global.reset();  // one-shot: later connections pass
    }
  }
  if (plan_.random_cut && up_.bytes_read() + down_.bytes_read() >= plan_.after_bytes) {
    p.cut_pending = true;
  }
}

CutMode Connection::ResolvedCutMode() const {
  CutMode mode = link_.profile.cut_mode;
  return mode == CutMode::kMixed ? plan_.mixed_mode : mode;
}

bool Connection::FinishPendingCut(Direction d, TimePoint now) {
  CutMode mode = ResolvedCutMode();
  if (mode == CutMode::kReset && UnsentBytes(dest_fd(d)) > 0) {
    // A reset would throw away bytes the peer has not acknowledged yet.
    drain_wait_ = drain_check_ ? std::min(drain_wait_ * 2, kMaxDrainRecheck) : kFirstDrainRecheck;
    drain_check_ = now + drain_wait_;
    return true;
  }
  drain_check_.reset();
  CutNow(mode);
  return state_ == State::kOpen;
}

bool Connection::CutNow(CutMode mode) {
  if (mode == CutMode::kMixed) mode = plan_.mixed_mode;
  if (state_ == State::kClosed) return false;
  if (state_ == State::kStalled && mode == CutMode::kStall) return false;
  ++link_.counters.cuts;
  if (mode == CutMode::kReset) {
    SetAbortiveClose(client_.get());
    SetAbortiveClose(server_.get());
    Close();
    return true;
  }
  state_ = State::kStalled;
  up_.Clear();
  down_.Clear();
  drain_check_.reset();
  UpdateInterest(Clock::now());
  return true;
}

std::optional<TimePoint> Connection::NextDeadline(TimePoint now) const {
  if (state_ != State::kOpen || link_.blackout) return std::nullopt;
  std::optional<TimePoint> next = drain_check_;
  for (Direction d : kBothWays) {
    auto due = pipe(d).NextDue();
    // A chunk already due waits for EPOLLOUT only if a write was refused; one that fell due
    // since the last Pump() (time passes while the loop works) needs a wakeup now, or the
    // connection would stall with nothing watched.
    bool waits_for_epollout = due && *due <= now && pipe(d).write_blocked();
    if (due && !waits_for_epollout && (!next || *due < *next)) next = due;
  }
  return next;
}

void Connection::UpdateInterest(TimePoint now) {
  uint32_t client_events = 0;
  uint32_t server_events = 0;
  switch (state_) {
    case State::kClosed:
      return;
    case State::kConnecting:
      server_events = EPOLLOUT;
      break;
    case State::kStalled:
      client_events = server_events = EPOLLRDHUP;
      break;
    case State::kOpen:
      if (link_.blackout) break;  // paused: watch nothing, so nothing can spin
      auto wants_read = [&](Direction d) { return CanRead(d) && !pipe(d).token_starved; };
      auto wants_write = [&](Direction d) {
        return pipe(d).write_blocked() && pipe(d).HasDue(now);
      };
      if (wants_read(Direction::kUp)) client_events |= EPOLLIN;
      if (wants_write(Direction::kDown)) client_events |= EPOLLOUT;
      if (wants_read(Direction::kDown)) server_events |= EPOLLIN;
      if (wants_write(Direction::kUp)) server_events |= EPOLLOUT;
      break;
  }
  poller_.Watch(client_.get(), client_events, this);
  poller_.Watch(server_.get(), server_events, this);
}

void Connection::Abort() {
  SetAbortiveClose(client_.get());
  SetAbortiveClose(server_.get());
  Close();
}

void Connection::Close() {
  poller_.Forget(client_.get());
  poller_.Forget(server_.get());
  client_.Reset();
  server_.Reset();
  up_.Clear();
  down_.Clear();
  state_ = State::kClosed;
}

}  // namespace mano::flakynet

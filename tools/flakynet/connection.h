#pragma once

// Connection: one client connection proxied to the target, with a Pipe each way. Pump()
// makes every bit of progress the link allows right now (deliver due bytes, read as much
// as the bandwidth and cut limits allow, pass on half-closes, carry out pending cuts) and
// then tells the Poller what to wait for; NextDeadline() says when time alone will allow
// more. Nothing here loops or sleeps.
//
// Cuts: reset closes both sockets with SO_LINGER 0, so both peers get RST; stall stops
// forwarding for good but keeps both sockets open (a half-open link) until one peer
// closes, then closes the other end quietly. A cut after N bytes delivers exactly N bytes
// first (for a reset, it waits until the peer's kernel acknowledged them).
//
// A closed Connection is inert; its owner deletes it outside event dispatch.
// Not thread-safe.

#include <cstdint>
#include <optional>

#include "clock.h"
#include "link_state.h"
#include "mano/sync/unique_fd.h"
#include "pipe.h"
#include "poller.h"
#include "schedule.h"

namespace mano::flakynet {

class Connection : public EventHandler {
 public:
  enum class State { kConnecting, kOpen, kStalled, kClosed };

  // Takes the accepted client socket and the server socket whose connect is in progress.
  Connection(sync::UniqueFd client, sync::UniqueFd server, const ConnectionPlan& plan,
             LinkState& link, Poller& poller);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void OnEvent(int fd, uint32_t events) override;

  // Makes all progress possible at this moment, then updates the poller interest.
  void Pump();

  // Cuts the connection now, dropping bytes in flight. Returns false if there was
  // nothing to cut (already closed, or already stalled and asked to stall).
  bool CutNow(CutMode mode);

  // The next time at which time alone lets this connection progress (a queued chunk
  // falls due, a drain check before a reset); nullopt if none.
  std::optional<TimePoint> NextDeadline(TimePoint now) const;

  // Whether a direction waits for bandwidth tokens.
  bool token_starved(Direction d) const { return pipe(d).token_starved; }

  State state() const { return state_; }

 private:
  Pipe& pipe(Direction d) { return d == Direction::kUp ? up_ : down_; }
  const Pipe& pipe(Direction d) const { return d == Direction::kUp ? up_ : down_; }
  int source_fd(Direction d) const { return d == Direction::kUp ? client_.get() : server_.get(); }
  int dest_fd(Direction d) const { return d == Direction::kUp ? server_.get() : client_.get(); }

  bool PumpDirection(Direction d, TimePoint now);  // false once the connection closed
  bool Flush(Direction d, TimePoint now);          // false once the connection closed
  bool CanRead(Direction d) const;
  size_t ReadAllowance(Direction d, TimePoint now);
  void AccountRead(Direction d, uint64_t bytes);
  bool FinishPendingCut(Direction d, TimePoint now);
  CutMode ResolvedCutMode() const;
  void FinishConnect();
  void UpdateInterest(TimePoint now);
  void Abort();  // a peer failed: reset the other one and close
  void Close();

  sync::UniqueFd client_;
  sync::UniqueFd server_;
  ConnectionPlan plan_;
  LinkState& link_;
  Poller& poller_;
  State state_ = State::kConnecting;
  Pipe up_;
  Pipe down_;
  std::optional<TimePoint> drain_check_;  // when to look again whether a reset may go
  Millis drain_wait_{0};                  // the last wait before such a look
};

}  // namespace mano::flakynet

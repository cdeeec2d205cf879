// QueueScreen: every account's assignments in one list — id, account, kind, state, time left
// before the deadline (server time), pay — with the ones still to work on first, soonest
// deadline first. Enter opens the task screen. The countdown redraws once a minute, or once
// a second while some deadline is under a minute away. Not thread-safe (UI thread).
// Only a window of rows is held in memory (the visible rows plus a margin either side, read
// with Store::ListAssignmentSummaries, without payloads); moving past it reads the next
// window, so a queue of 10,000 cached assignments costs what a screenful does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/client/ui/screen.h"

namespace mano::client::ui {

struct QueueRow {
  int64_t id = 0;
  std::string account;
  std::string kind;
  storage::AssignmentState state = storage::AssignmentState::kClaimed;
  std::optional<int64_t> remaining_ms;  // at refresh time; nullopt: server never contacted
  int64_t reward_micros = 0;
  std::string currency;
  bool editable = false;
  bool has_time_left = false;  // a lease runs: the countdown is shown
};

// "25m", "1h05m", "45s", "expired", "?" (language-neutral except "expired").
std::string FormatRemaining(std::optional<int64_t> remaining_ms);

class QueueScreen final : public Screen {
 public:
  explicit QueueScreen(UiContext& ctx);

  std::string Title() const override;
  const KeyTable& keys() const override;
  void Draw(Canvas& canvas, int top, int rows) override;
  Outcome HandleKey(const Key& key) override;
  void Refresh() override;
  std::optional<int64_t> NextTickMs() const override;
  bool Tick(int64_t now_mono_ms) override;
  std::optional<ledger::Focus> WorkFocus() const override {
    return ledger::Focus{ledger::FocusOn::kSearch, {}, std::nullopt};
  }

  // The rows held in memory: positions [first_loaded(), first_loaded() + rows().size()) of
  // the queue's order.
  const std::vector<QueueRow>& rows() const { return rows_; }
  int first_loaded() const { return offset_; }
  int total() const { return total_; }
  int selected() const { return selected_; }  // position in the whole queue

  // Rows read on either side of the visible ones.
  static constexpr int kMargin = 50;

 private:
  std::optional<int64_t> RemainingNow(const QueueRow& row) const;
  // Reads the window that starts at position `first` (clamped) and the total.
  void LoadWindow(int first);
  // Reads a new window unless positions [first, first + count) are all held.
  void EnsureLoaded(int first, int count);

  UiContext& ctx_;
  bool no_account_ = false;  // the queue is empty because nobody has logged in yet
  std::vector<QueueRow> rows_;
  int offset_ = 0;  // queue position of rows_[0]
  int total_ = 0;
  int visible_ = 40;  // body rows at the last Draw (a guess until then)
  int64_t refreshed_mono_ = 0;
  int selected_ = 0;
  int scroll_ = 0;
};

}  // namespace mano::client::ui

// QueueScreen: every account's assignments in one list — id, account, kind, state, time left
// before the deadline (server time), pay — with the ones still to work on first, soonest
// deadline first. Enter opens the task screen. The countdown redraws once a minute, or once
// a second while some deadline is under a minute away. Not thread-safe (UI thread).
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
};

// Orders rows: editable first, then by time left (unknown last), then by id.
void SortQueue(std::vector<QueueRow>& rows);
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

  const std::vector<QueueRow>& rows() const { return rows_; }
  int selected() const { return selected_; }

 private:
  std::optional<int64_t> RemainingNow(const QueueRow& row) const;

  UiContext& ctx_;
  std::vector<QueueRow> rows_;
  int64_t refreshed_mono_ = 0;
  int selected_ = 0;
  int scroll_ = 0;
};

}  // namespace mano::client::ui

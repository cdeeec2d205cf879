#include "mano/client/ui/queue_screen.h"

#include <algorithm>

#include "mano/client/ledger/money.h"
#include "mano/client/state_text.h"
#include "mano/client/sync_text.h"
#include "mano/client/time_format.h"
#include "mano/client/ui/background_sync.h"
#include "mano/client/ui/help_screen.h"
#include "mano/client/ui/ledger_screen.h"
#include "mano/client/ui/status_line.h"
#include "mano/client/ui/task_layout.h"
#include "mano/client/ui/task_screen.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"
#include "mano/storage/enum_names.h"

namespace mano::client::ui {
namespace {

using storage::AssignmentState;

constexpr storage::EnumName<AssignmentState> kStateLabels[] = {
    {AssignmentState::kClaimed, "new"},           {AssignmentState::kInProgress, "draft"},
    {AssignmentState::kQueued, "to send"},        {AssignmentState::kAccepted, "received"},
    {AssignmentState::kLateAccepted, "late, ok"}, {AssignmentState::kConflict, "conflict"},
    {AssignmentState::kLateRefused, "refused"},   {AssignmentState::kNotFound, "not found"},
    {AssignmentState::kInvalid, "invalid"},       {AssignmentState::kReturned, "returned"},
    {AssignmentState::kExpired, "late"},          {AssignmentState::kRevoked, "revoked"},
    {AssignmentState::kWithdrawn, "withdrawn"},   {AssignmentState::kRejected, "rejected"},
    {AssignmentState::kApproved, "approved"},
};
static_assert(storage::NamesEvery(kStateLabels, storage::kLastAssignmentState));

const char* StateLabel(AssignmentState s) { return storage::NameOf(kStateLabels, s, ""); }

}  // namespace

std::string FormatRemaining(std::optional<int64_t> remaining_ms) {
  if (!remaining_ms) return "?";
  if (*remaining_ms <= 0) return T("expired");
  return FormatDuration(*remaining_ms);
}

QueueScreen::QueueScreen(UiContext& ctx) : ctx_(ctx) { Refresh(); }

std::string QueueScreen::Title() const { return T("Queue"); }

const KeyTable& QueueScreen::keys() const {
  static const KeyTable table({
      {Key::Named(KeyCode::kEnter), Action::kOpenTask, "open", true, false},
      {Key::Named(KeyCode::kUp), Action::kUp, "move", false, false},
      {Key::Named(KeyCode::kDown), Action::kDown, "move", false, false},
      {Key::Char(U'k'), Action::kUp, "move up", false, false},
      {Key::Char(U'j'), Action::kDown, "move down", false, false},
      {Key::Char(U's'), Action::kSyncNow, "sync now", true, false},
      {Key::Char(U'l'), Action::kLedger, "ledger", true, false},
      {Key::Char(U'?'), Action::kHelp, "help", true, false},
      {Key::Named(KeyCode::kF1), Action::kHelp, "help", false, false},
      {Key::Char(U'q'), Action::kQuit, "quit", true, false},
  });
  return table;
}

void QueueScreen::LoadWindow(int first) {
  storage::ListingQuery query;
  query.order = storage::ListingOrder::kQueue;
  for (int s = 0; s <= static_cast<int>(storage::kLastAssignmentState); ++s) {
    if (IsEditable(static_cast<AssignmentState>(s)))
      query.first.push_back(static_cast<AssignmentState>(s));
  }
  query.with_title = false;  // the queue shows no title
  query.limit = visible_ + 2 * kMargin;
  query.offset = std::max(0, first);
  storage::ListingPage page = ctx_.store->ListAssignmentSummaries(query);
  if (page.rows.empty() && page.total > 0) {  // the queue shrank below `first`
    query.offset = std::max<int64_t>(0, page.total - query.limit);
    page = ctx_.store->ListAssignmentSummaries(query);
  }
  rows_.clear();
  rows_.reserve(page.rows.size());
  for (auto& a : page.rows) {
    QueueRow r;
    r.id = a.id;
    r.account = std::move(a.account);
    r.kind = std::move(a.kind);
    r.state = a.state;
    r.reward_micros = a.reward_micros;
    r.currency = std::move(a.currency);
    r.editable = IsEditable(a.state);
    r.has_time_left = StateHasTimeLeft(storage::ToString(a.state));
    r.remaining_ms = a.remaining_ms;
    rows_.push_back(std::move(r));
  }
  offset_ = static_cast<int>(query.offset);
  total_ = static_cast<int>(page.total);
  no_account_ = total_ == 0 && ctx_.store->ListAccounts().empty();
  refreshed_mono_ = ctx_.clock->MonotonicMs();
}

void QueueScreen::EnsureLoaded(int first, int count) {
  if (first >= offset_ && first + count <= offset_ + static_cast<int>(rows_.size())) return;
  LoadWindow(first - kMargin);
}

void QueueScreen::Refresh() {
  LoadWindow(scroll_ - kMargin);
  if (selected_ >= total_) selected_ = total_ - 1;
  if (selected_ < 0) selected_ = 0;
}

std::optional<int64_t> QueueScreen::RemainingNow(const QueueRow& row) const {
  if (!row.remaining_ms) return std::nullopt;
  return *row.remaining_ms - (ctx_.clock->MonotonicMs() - refreshed_mono_);
}

void QueueScreen::Draw(Canvas& canvas, int top, int rows) {
  int width = canvas.cols();
  visible_ = std::max(1, rows - 1);
  if (total_ == 0) {
    // Which of the two empty queues this is, and the exact command that fills it.
    std::vector<std::string> lines;
    if (no_account_) {
      lines = {T("No account yet. Log in from a shell (the token is read from standard input):"),
               "  mano login --server URL --name NAME"};
    } else {
      lines = {T("No tasks. Claim work from a shell:"), "  mano claim",
               T("(or set keep_claimed in config.toml and press s to sync)")};
    }
    int row = top + 1;
    for (const auto& line : lines)
      for (const auto& part : WrapText(line, std::max(10, width - 4)))
        if (row < top + rows) canvas.Put(row++, 2, part);
    return;
  }
  // id 6, account 12, kind 15, state 10, left 9, pay rest.
  // Each column keeps one blank cell after its text, however long a translation is.
  auto cell = [](const std::string& text, int w) { return PadToWidth(FitToWidth(text, w - 1), w); };
  auto line = [&](const std::string& id, const std::string& account, const std::string& kind,
                  const std::string& state, const std::string& left, const std::string& pay) {
    return " " + cell(id, 6) + cell(account, 12) + cell(kind, 16) + cell(state, 10) +
           cell(left, 10) + pay;
  };
  canvas.Put(
      top, 0,
      FitToWidth(line("#", T("account"), T("kind"), T("state"), T("time left"), T("pay")), width),
      kAttrBold);
  int visible = visible_;
  if (selected_ < scroll_) scroll_ = selected_;
  if (selected_ >= scroll_ + visible) scroll_ = selected_ - visible + 1;
  EnsureLoaded(scroll_, std::min(visible, total_ - scroll_));
  for (int i = 0; i < visible && scroll_ + i < total_; ++i) {
    int index = scroll_ + i - offset_;
    if (index < 0 || index >= static_cast<int>(rows_.size())) break;
    const QueueRow& r = rows_[index];
    std::string text =
        line(std::to_string(r.id), r.account, KindText(r.kind), T(StateLabel(r.state)),
             r.has_time_left ? FormatRemaining(RemainingNow(r)) : "",
             ledger::FormatAmount(r.reward_micros, r.currency) + " " + r.currency);
    bool sel = scroll_ + i == selected_;
    canvas.Put(top + 1 + i, 0, PadToWidth(text, width), sel ? kAttrReverse : kAttrNormal);
  }
}

Outcome QueueScreen::HandleKey(const Key& key) {
  auto action = keys().Lookup(key, false);
  if (!action) return {};
  int n = total_;
  switch (*action) {
    case Action::kUp:
      if (selected_ > 0) --selected_;
      return {kHandled | kRedraw, nullptr};
    case Action::kDown:
      if (selected_ + 1 < n) ++selected_;
      return {kHandled | kRedraw, nullptr};
    case Action::kOpenTask: {
      if (n == 0) return {kHandled, nullptr};
      EnsureLoaded(selected_, 1);
      int index = selected_ - offset_;
      if (index < 0 || index >= static_cast<int>(rows_.size())) return {kHandled, nullptr};
      // The full task (form, payload) is read only now, for the one assignment opened.
      auto a = ctx_.store->GetAssignment(rows_[index].id);
      if (!a) return {kHandled, nullptr};
      return {kHandled | kRedraw, std::make_unique<TaskScreen>(ctx_, *a, std::string())};
    }
    case Action::kSyncNow:
      if (ctx_.sync) ctx_.sync->Wake();
      ctx_.message = T("Syncing in the background.");
      return {kHandled | kRedraw, nullptr};
    case Action::kLedger:
      return {kHandled | kRedraw, std::make_unique<LedgerScreen>(ctx_)};
    case Action::kHelp:
      return OpenHelp(*this);
    case Action::kQuit:
      return {kHandled | kQuit, nullptr};
    default:
      return {};
  }
}

std::optional<int64_t> QueueScreen::NextTickMs() const {
  int64_t now = ctx_.clock->MonotonicMs();
  std::optional<int64_t> next;
  for (const auto& r : rows_) {
    auto left = r.has_time_left ? RemainingNow(r) : std::nullopt;
    auto wait = left ? CountdownStepMs(*left) : std::nullopt;
    if (wait && (!next || now + *wait < *next)) next = now + *wait;
  }
  return next;
}

bool QueueScreen::Tick(int64_t) { return true; }

}  // namespace mano::client::ui

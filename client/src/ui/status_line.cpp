#include "mano/client/ui/status_line.h"

#include <ctime>

#include "mano/client/sync_text.h"
#include "mano/client/terminal_text.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {

std::string FormatBytes(int64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return buf;
}

std::string FormatAge(int64_t ms) {
  char buf[32];
  if (ms < 0) ms = 0;
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000);
  } else if (ms < 10'000) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ms / 1000));
  } else if (ms < 60'000) {  // coarser: the line need not wake the UI every second
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ms / 10'000 * 10));
  } else if (ms < 3'600'000) {
    std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(ms / 60'000));
  } else {
    std::snprintf(buf, sizeof buf, "%lld h", static_cast<long long>(ms / 3'600'000));
  }
  return buf;
}

std::string FormatClock(int64_t local_ms) {
  std::time_t t = static_cast<std::time_t>(local_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M", &tm);
  return buf;
}

namespace {

std::string AccountText(const AccountLine& a, bool compact) {
  std::string state;
  if (a.token_refused) {
    state = compact || a.server_url.empty()
                ? std::string(T("token refused: mano login"))
                : TF("token refused: mano login --server {0} --name {1}", {a.server_url, a.name});
  } else if (a.online) {
    state = T("online");
  } else if (!a.contacted) {
    state = T("not contacted yet");
  } else {
    state = T("offline");
  }
  std::string out = a.name + ": " + state;
  if (a.outbox_items > 0 || !compact) {
    out += " · " +
           TF("outbox {0} ({1})", {std::to_string(a.outbox_items), FormatBytes(a.outbox_bytes)});
  }
  if (!compact && a.last_contact_ms > 0) {
    out += " · " + TF("contact {0}", {FormatClock(a.last_contact_ms)});
  }
  return out;
}

}  // namespace

std::string BuildStatusLine(const std::vector<AccountLine>& accounts,
                            std::optional<int64_t> saved_age_ms, bool syncing, int width,
                            bool unsaved) {
  std::string right = unsaved        ? std::string(T("NOT SAVED"))
                      : saved_age_ms ? TF("saved {0} ago", {FormatAge(*saved_age_ms)})
                                     : std::string(T("no changes yet"));
  if (syncing) right = std::string(T("syncing")) + " · " + right;
  std::string left;
  for (bool compact : {false, true}) {
    left.clear();
    for (const auto& a : accounts) {
      if (!left.empty()) left += " | ";
      left += AccountText(a, compact);
    }
    if (accounts.empty()) left = T("no account: mano login");
    if (DisplayWidth(left) + DisplayWidth(right) + 3 <= width) break;
  }
  int right_w = DisplayWidth(right);
  int left_room = width - right_w - 2;
  std::string line = " " + PadToWidth(left, left_room > 0 ? left_room : 0) + " " + right;
  return PadToWidth(line, width);
}

std::string SyncProblemMessage(const std::string& account, const sync::ReportNote& note,
                               int width) {
  if (note.code == sync::ReportCode::kError &&
      (note.error == sync::SyncErrorKind::kOffline || note.error == sync::SyncErrorKind::kTimeout ||
       note.error == sync::SyncErrorKind::kAuth)) {
    return {};
  }
  std::string text = TerminalSafe(TF("Sync of {0}: {1}", {account, ReportNoteText(note)}));
  constexpr int kRows = 3;
  const int room = width - 2;
  if (room <= 0) return {};
  std::vector<std::string> rows = WrapText(text, room);
  if (static_cast<int>(rows.size()) <= kRows) return text;
  // Shorten to what three rows hold, then wrap again until it fits.
  int keep = room * kRows;
  while (keep > 0) {
    std::string cut = FitToWidth(text, keep);
    if (static_cast<int>(WrapText(cut, room).size()) <= kRows) return cut;
    keep -= 4;
  }
  return {};
}

std::optional<int64_t> CountdownStepMs(int64_t left_ms) {
  if (left_ms <= 0) return std::nullopt;
  int64_t step = left_ms <= 60'000 ? 1000 : 60'000;
  int64_t wait = left_ms % step;
  return wait == 0 ? step : wait;
}

std::optional<int64_t> StatusLineNextChangeMs(std::optional<int64_t> saved_age_ms) {
  if (!saved_age_ms) return std::nullopt;
  int64_t age = *saved_age_ms;
  if (age < 10'000) return 1000 - age % 1000;  // "N s" changes every second
  if (age < 60'000) return 10'000 - age % 10'000;
  if (age < 3'600'000) return 60'000 - age % 60'000;
  return 3'600'000 - age % 3'600'000;
}

}  // namespace mano::client::ui

// The status line shown at the bottom of every screen, and the small formatters the screens
// share (sizes, ages). Per account: online or offline (since when), outbox items and bytes,
// last contact; then how long ago the draft was saved. Being offline is shown as a word in
// the line, never as a dialog. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/sync/report_note.h"

namespace mano::client::ui {

struct AccountLine {
  std::string name;
  bool online = false;
  bool contacted = false;        // had contact at least once
  int64_t offline_since_ms = 0;  // local ms, 0 when unknown
  int64_t last_contact_ms = 0;   // local ms, 0 = never
  int64_t outbox_items = 0;
  int64_t outbox_bytes = 0;
  // The server refused the token (401/403): not offline; shown with the login that fixes it.
  bool token_refused = false;
  std::string server_url;
  // The last sync pass's problem, ready for the message line (SyncProblemMessage); "" none.
  std::string sync_problem;
};

// "0 B", "812 B", "1.2 KB", "3.4 MB".
std::string FormatBytes(int64_t bytes);
// "0.3 s", "7 s", "20 s" (tens under a minute), "5 min", "2 h".
std::string FormatAge(int64_t ms);
// Local wall-clock "HH:MM" of a local ms time.
std::string FormatClock(int64_t local_ms);

// The line, exactly `width` columns. `saved_age_ms` nullopt: nothing saved this session.
// `unsaved`: a save is failing; the line says NOT SAVED instead of any "saved" time.
std::string BuildStatusLine(const std::vector<AccountLine>& accounts,
                            std::optional<int64_t> saved_age_ms, bool syncing, int width,
                            bool unsaved = false);

// The message line's sentence for the last sync pass's problem of `account` ("Sync of
// alice: The server refused ..."), worded by ReportNoteText and cleaned by TerminalSafe (a
// server's reason may hold control bytes); at most three lines of `width` - 2 columns (the
// message line's room), shortened with "…". "" for what the status line already shows
// (offline, a refused token).
std::string SyncProblemMessage(const std::string& account, const sync::ReportNote& note, int width);

// How long until a countdown showing `left_ms` changes its text: the next whole minute, or
// the next second in the last minute; nullopt once it has run out.
std::optional<int64_t> CountdownStepMs(int64_t left_ms);

// When the status line's wording next changes as time passes ("0.3 s" -> "1 s", minutes),
// in ms from now; nullopt when it never does on its own.
std::optional<int64_t> StatusLineNextChangeMs(std::optional<int64_t> saved_age_ms);

}  // namespace mano::client::ui

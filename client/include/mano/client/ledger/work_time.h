// Work time: the wall-clock time a worker spends, as marks in the hash-chained work journal
// and the intervals derived from them. Nothing else is stored: the ledger's hours are a pure
// function of the journal's rows (WorkIntervals), so anyone holding the journal can
// recompute them.
//
// A mark is a journal entry of type "focus" saying what the worker is on from its time on:
//   {"on":"task","via":"ui"|"cli"}   (account and assignment id in the entry's columns)
//   {"on":"search","via":...}        looking for work: the UI's queue, `mano claim`
//   {"on":"none","via":...}          nothing: the UI closed, the ledger screen
// optionally with "asleep_ms": N, the wall-clock time just before the mark during which the
// machine slept (the UI sees the wall clock move while the monotonic clock stood still).
// The UI writes a mark when what it shows changes and, while keys come, at most every
// kMarkEveryMs; `mano show`, `answer`, `undo` and `unsubmit` write a task mark, `mano claim` a
// search mark.
//
// Derivation (WorkIntervals): the journal is read in order; the time from one mark to the
// next belongs to the first one's focus. A state entry that takes the task in focus out of
// the worker's hands (queued = submitted, returned, revoked, withdrawn, or any later
// state) ends its time there; a task mark on such a task counts as "none". An interval longer
// than the idle limit (no input for that long, or no journal activity: power off, a crash) is
// idle as a whole; the asleep part of an interval is idle too. Intervals are never split by
// day: each is dated by its start. Time that runs backwards (a clock set back) counts zero.
// Thread safety: the functions are pure or use the Store they are given (one thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/storage/records.h"
#include "mano/storage/store.h"

namespace mano::client::ledger {

inline constexpr const char* kFocusEntry = "focus";
inline constexpr int64_t kDefaultIdleLimitMs = 10 * 60'000;
// While keys come, the UI marks at most this often: a gap between marks longer than the idle
// limit then means no input for that long.
inline constexpr int64_t kMarkEveryMs = 30'000;

enum class FocusOn { kNone, kTask, kSearch };
inline constexpr FocusOn kLastFocusOn = FocusOn::kSearch;

struct Focus {
  FocusOn on = FocusOn::kNone;
  std::string account;                   // "" for the UI's queue (every account)
  std::optional<int64_t> assignment_id;  // kTask only
  bool operator==(const Focus&) const = default;
};

// Appends a mark (one durable transaction). `via` is "ui" or "cli". Throws StoreError.
void WriteFocusMark(storage::Store& store, const Focus& focus, const char* via,
                    int64_t asleep_ms = 0);

struct WorkInterval {
  int64_t start_ms = 0;  // wall clock, the mark's time
  int64_t end_ms = 0;
  FocusOn on = FocusOn::kTask;  // kTask or kSearch
  std::string account;
  std::optional<int64_t> assignment_id;
  bool idle = false;
  int64_t ms() const { return end_ms - start_ms; }
};

// The intervals in journal order (only kTask and kSearch; never empty ones). Pure.
std::vector<WorkInterval> WorkIntervals(const std::vector<storage::JournalEntry>& entries,
                                        int64_t idle_limit_ms = kDefaultIdleLimitMs);

}  // namespace mano::client::ledger

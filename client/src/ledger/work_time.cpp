#include "mano/client/ledger/work_time.h"

#include <algorithm>
#include <set>

#include "json_payload.h"
#include "mano/storage/enum_names.h"

namespace mano::client::ledger {
namespace {

using internal::WithJson;

// States in which the worker can still work on the task (an expired lease can still be
// finished and sent late).
bool InWorkersHands(const std::string& state) {
  return state == "claimed" || state == "in_progress" || state == "expired";
}

constexpr storage::EnumName<FocusOn> kOnNames[] = {
    {FocusOn::kNone, "none"}, {FocusOn::kTask, "task"}, {FocusOn::kSearch, "search"}};
static_assert(storage::NamesEvery(kOnNames, kLastFocusOn));

const char* OnName(FocusOn on) { return storage::NameOf(kOnNames, on, "none"); }

}  // namespace

void WriteFocusMark(storage::Store& store, const Focus& focus, const char* via, int64_t asleep_ms) {
  sync::JsonOut out;
  out.StartObject();
  out.Field("on", OnName(focus.on));
  out.Field("via", via);
  if (asleep_ms > 0) out.Field("asleep_ms", asleep_ms);
  out.EndObject();
  store.AppendJournal(focus.on == FocusOn::kNone ? std::string() : focus.account,
                      focus.on == FocusOn::kTask ? focus.assignment_id : std::nullopt, kFocusEntry,
                      out.Take());
}

std::vector<WorkInterval> WorkIntervals(const std::vector<storage::JournalEntry>& entries,
                                        int64_t idle_limit_ms) {
  std::vector<WorkInterval> out;
  std::set<int64_t> closed;  // assignments out of the worker's hands (per the journal)
  Focus focus;
  int64_t since = 0;
  auto emit = [&](int64_t start, int64_t end, bool idle) {
    if (end <= start || focus.on == FocusOn::kNone) return;
    out.push_back(WorkInterval{start, end, focus.on, focus.account, focus.assignment_id, idle});
  };
  for (const auto& e : entries) {
    Focus next = focus;
    int64_t asleep = 0;
    bool mark = false;
    if (e.type == kFocusEntry) {
      mark = true;
      std::string on;
      WithJson(e.payload, [&](const sync::JsonIn& in) {
        on = in.StrOr("on", "");
        asleep = in.IntOr("asleep_ms", 0);
      });
      next = Focus{};
      if (on == "task" && e.assignment_id && !closed.count(*e.assignment_id))
        next = Focus{FocusOn::kTask, e.account, e.assignment_id};
      else if (on == "search")
        next = Focus{FocusOn::kSearch, e.account, std::nullopt};
    } else if (e.type == "state" && e.assignment_id) {
      std::string to;
      WithJson(e.payload, [&](const sync::JsonIn& in) { to = in.StrOr("to", ""); });
      if (InWorkersHands(to)) {
        closed.erase(*e.assignment_id);
      } else {
        closed.insert(*e.assignment_id);
        if (focus.on == FocusOn::kTask && focus.assignment_id == e.assignment_id) {
          mark = true;
          next = Focus{};
        }
      }
    }
    if (!mark) continue;
    const int64_t span = e.time_ms - since;
    if (span > 0) {
      const int64_t sleep = std::clamp<int64_t>(asleep, 0, span);
      const int64_t awake_end = e.time_ms - sleep;
      emit(since, awake_end, awake_end - since > idle_limit_ms);
      emit(awake_end, e.time_ms, true);
    }
    focus = next;
    since = e.time_ms;
  }
  return out;
}

}  // namespace mano::client::ledger

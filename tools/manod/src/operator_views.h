// Operator views of a manod database: what `manod status` and `manod assignments` print.
// Plain records filled by ServerStore::CountByKind / CountByWorker / ListAssignments, read in
// one transaction each, so the counts of one call agree with each other.
// "expired" is not a stored state: it is a lease (state `leased`) whose deadline has passed
// at the `now` given to the store; such a lease no longer holds its task and may still be
// submitted late (docs/PROTOCOL.md, late results).
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace mano::manod {

// Assignments by operator state, as both views count them.
struct StateCounts {
  int64_t leased = 0;     // live leases (deadline still ahead)
  int64_t expired = 0;    // leases past their deadline, nothing submitted
  int64_t submitted = 0;  // results awaiting review
  int64_t approved = 0;
  int64_t rejected = 0;

  // Adds `n` assignments in operator state `state`; a state not counted here adds nothing.
  void Add(const std::string& state, int64_t n);
};

// The states StateCounts counts: each one's name (as the stores and `manod status --json`
// write it) and its counter, in the order `manod status` prints them.
inline constexpr std::pair<const char*, int64_t StateCounts::*> kCountedStates[] = {
    {"leased", &StateCounts::leased},
    {"expired", &StateCounts::expired},
    {"submitted", &StateCounts::submitted},
    {"approved", &StateCounts::approved},
    {"rejected", &StateCounts::rejected}};

inline void StateCounts::Add(const std::string& state, int64_t n) {
  for (const auto& [name, counter] : kCountedStates) {
    if (state == name) this->*counter += n;
  }
}

// Per task kind. `tasks` counts imported tasks; `open` those that can still be leased (not
// withdrawn, live leases plus results below max_assignments); the rest count assignments
// by state.
struct KindCounts : StateCounts {
  std::string kind;
  int64_t tasks = 0;
  int64_t open = 0;
  int64_t withdrawn = 0;  // tasks
  int64_t returned = 0;
  int64_t revoked = 0;  // taken back by the operator or ended by a withdrawal
};

// Per worker: the same assignment states, plus whether the token was revoked.
struct WorkerCounts : StateCounts {
  std::string name;
  bool revoked = false;
};

// One assignment, as the operator sees it. `state` is the stored state, except `expired`
// for a lease past its deadline.
struct AssignmentView {
  int64_t id = 0;  // row id; on the wire and in every manod command it is EncodeId(id)
  std::string task_id;
  std::string kind;
  std::string worker;
  std::string state;
  int64_t leased_at = 0;
  int64_t deadline = 0;
  int64_t submitted_at = 0;  // 0 when no result
};

}  // namespace mano::manod

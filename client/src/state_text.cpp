#include "mano/client/state_text.h"

#include <array>

#include "mano/client/i18n.h"

namespace mano::client {
namespace {

struct StateText {
  std::string_view state;
  const char* name;
  const char* explanation;  // "" when the state needs none
};

constexpr std::array<StateText, 15> kStates = {{
    {"claimed", N_("claimed"), ""},
    {"in_progress", N_("in progress"), ""},
    {"queued", N_("queued"), N_("Submitted: the result waits to be sent to the server.")},
    {"accepted", N_("accepted"),
     N_("The server accepted the result; it waits for the requester's review.")},
    {"late_accepted", N_("accepted late"),
     N_("The result arrived after the deadline and the task's late policy accepted it; it "
        "waits for the requester's review.")},
    {"conflict", N_("conflict"),
     N_("The server refused the result: it already holds another answer for this assignment. "
        "This result will not be paid.")},
    {"late_refused", N_("refused (late)"),
     N_("The server refused the result: it arrived after the deadline and the task's late "
        "policy refuses late work. This result will not be paid.")},
    {"not_found", N_("not found"),
     N_("The server refused the result: it no longer has this assignment for you (returned, "
        "revoked or withdrawn). This result will not be paid.")},
    {"invalid", N_("invalid"),
     N_("The server refused the result as invalid. This result will not be paid.")},
    {"returned", N_("returned"), N_("You returned this task.")},
    {"expired", N_("expired"),
     N_("The deadline has passed. The work is kept; whether a late result counts depends on "
        "the task's late policy.")},
    {"revoked", N_("revoked"),
     N_("The server took the lease back. The time spent on it will not be paid.")},
    {"withdrawn", N_("withdrawn"),
     N_("The requester withdrew the task. The time spent on it will not be paid.")},
    {"rejected", N_("rejected"), N_("The requester rejected the result. It will not be paid.")},
    {"approved", N_("approved"), N_("The requester approved the result.")},
}};

const StateText* Find(std::string_view state) {
  for (const auto& s : kStates)
    if (s.state == state) return &s;
  return nullptr;
}

}  // namespace

std::string StateName(std::string_view state) {
  const StateText* s = Find(state);
  return s ? Tr(s->name) : std::string(state);
}

std::string StateExplanation(std::string_view state) {
  const StateText* s = Find(state);
  return s && *s->explanation ? Tr(s->explanation) : std::string();
}

bool StateHasTimeLeft(std::string_view state) {
  return state == "claimed" || state == "in_progress" || state == "queued";
}

}  // namespace mano::client

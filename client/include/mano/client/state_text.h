// What an assignment's state means, in the worker's language (text domain "mano"): a short
// name for tables and a sentence for `mano show` and the task screen. States are named by
// their stored names (storage::ToString), so this stays free of storage and the terminal UI
// can use it too. Thread safety: as Tr().
#pragma once

#include <string>
#include <string_view>

namespace mano::client {

// "refused (late)" for "late_refused", ...; an unknown name is returned as it is.
std::string StateName(std::string_view state);

// One sentence saying what happened and what it means for the worker ("The server refused
// this result: it arrived after the deadline..."); "" for claimed and in_progress.
std::string StateExplanation(std::string_view state);

// True while a lease runs and its time left means something: claimed, in_progress, queued.
bool StateHasTimeLeft(std::string_view state);

}  // namespace mano::client

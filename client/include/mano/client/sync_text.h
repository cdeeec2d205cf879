// The worker's words for what the lower layers report as codes: validation problems, a sync
// pass's notes, assignment states, field types and task kinds. sync/ and storage/ never
// write sentences for people; this is the one place that turns their codes and arguments
// into sentences, in the language chosen by InitLanguage (text domain "mano", shared by the
// command line and the terminal UI). Nothing here parses English back.
// Thread safety: as Tr() (i18n.h): safe once InitLanguage has run.
#pragma once

#include <string>
#include <vector>

#include "mano/sync/form.h"
#include "mano/sync/report_note.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/validate.h"

namespace mano::client {

// "must be at least 3", "choose at most 2 options" (without the field name).
std::string ValidationText(const sync::ValidationError& error);
// "score: must be at least 3; note: is required".
std::string ValidationSummary(const std::vector<sync::ValidationError>& errors);

// One sentence for one note of a sync pass.
std::string ReportNoteText(const sync::ReportNote& note);

// An answer over the largest a result may carry (sync::OversizeAnswer): "The answer is 70
// MiB, more than the 64 MiB a result may carry: shorten it and submit it again."
std::string AnswerTooLargeText(size_t bytes, size_t limit);
// An assignment's state_reason for people: the server's or requester's words as they are,
// or mano's own reason (sync::AnswerTooLargeReason) in the worker's language.
std::string StateReasonText(const std::string& reason);

// What the task's late policy will do with a result sent now ("" when not late), for
// `mano submit` and the UI's review screen alike; an anchor's time in local time.
std::string LateWarningText(const sync::LateOutlook& late);

// "single choice", "text"...
std::string FieldTypeText(sync::FieldType type);
// A task kind in the worker's language ("transcripción"); untranslated it stays the stable
// name `mano claim --kind` takes ("audio_quality"); kinds it does not know as they are.
std::string KindText(const std::string& kind);

}  // namespace mano::client

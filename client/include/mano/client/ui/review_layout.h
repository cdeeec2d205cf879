// The review screen's presentation (ODK Collect's "finalize" page for a terminal), as plain
// lines: every answer of the form in full (texts with their line breaks, each box), the
// problems that keep the answer from being sent (validate.h, the rules the server applies),
// and, when the deadline has passed, what the task's late policy will do with the result.
// The buttons ("Back to the form", "Send") are drawn by the task screen below these lines,
// so they stay in view however long the answers are.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "mano/client/ui/form_model.h"
#include "mano/client/ui/task_layout.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/validate.h"

namespace mano::client::ui {

// `problems` as Validate returned them for the model's answer.
std::vector<Line> LayoutReview(const TaskInfo& task, const FormModel& model,
                               const std::vector<sync::ValidationError>& problems,
                               const sync::LateOutlook& late, int width);

}  // namespace mano::client::ui

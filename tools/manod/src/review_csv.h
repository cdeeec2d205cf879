// Reads review decisions from a CSV for `manod review --csv FILE`, in either of two layouts:
//   - MTurk's batch-results file as `manod export --format mturk-csv` writes it (found by its
//     AssignmentId, Approve and Reject columns), after a requester marked it offline as MTurk's
//     "Reviewing Assignments Offline" guide says: anything in Approve approves, a reason in
//     Reject rejects with that reason (the worker sees it), a row with neither is left alone;
//   - the older `assignment,decision,reason` rows (decision approve|approved|reject|rejected;
//     a rejection needs a reason), with an optional header row starting "assignment".
// PlanCsvReview decides, without touching a store, what applying the file would do given each
// result's current state: decisions to apply, rows already decided the same way (skipped), and
// rows refused by number (a contradiction with an earlier review or an earlier row, both marks
// on one row, an unknown assignment, a result not awaiting review). The caller applies the
// plan in one transaction (ServerStore::ReviewAll) only when nothing is refused. Pure
// function; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "csv.h"

namespace mano::manod {

struct CsvDecision {
  size_t row = 0;  // 1-based line of the record in the file (the header is row 1)
  int64_t id = 0;
  std::string id_text;
  bool approve = false;
  std::string reason;
};

struct CsvReviewPlan {
  std::vector<CsvDecision> apply;
  int skipped = 0;                   // already decided the same way
  int undecided = 0;                 // rows with no mark (MTurk layout)
  std::vector<std::string> refused;  // "row N: why", in file order
};

// What the store knows of one result, by assignment id.
struct ResultFacts {
  std::string state;  // the assignment's: submitted | approved | rejected
  std::string task;
  std::string worker;
};

// In the MTurk layout, a row whose HITId or WorkerId (when present) is not the assignment's is
// refused: a spreadsheet may have turned an id such as "1e5" into the number 100000, which
// names another assignment.
CsvReviewPlan PlanCsvReview(const std::vector<CsvRow>& rows,
                            const std::map<int64_t, ResultFacts>& results);

}  // namespace mano::manod

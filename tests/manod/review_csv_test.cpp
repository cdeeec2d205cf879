// PlanCsvReview (review_csv.h): what `manod review --csv` would apply, skip and refuse, for
// MTurk's results layout and for the older assignment,decision,reason rows.
#include "review_csv.h"

#include <catch2/catch.hpp>

#include "server_clock.h"

using namespace mano::manod;

namespace {

// Results 1..4 ("1".."4" as wire ids) of tasks task-1..task-4 by ana: 1, 2 submitted, 3
// approved, 4 rejected.
const std::map<int64_t, ResultFacts> kStates = {{1, {"submitted", "task-1", "ana"}},
                                                {2, {"submitted", "task-2", "ana"}},
                                                {3, {"approved", "task-3", "ana"}},
                                                {4, {"rejected", "task-4", "ana"}}};

CsvRow Mturk(const std::string& id, const std::string& approve, const std::string& reject) {
  return {"task-" + id, id, "ana", "Answer", approve, reject};
}

const CsvRow kHeader = {"HITId", "AssignmentId", "WorkerId", "Answer.score", "Approve", "Reject"};

}  // namespace

TEST_CASE("MTurk layout: any mark approves, a reason rejects, neither leaves the row alone") {
  auto plan = PlanCsvReview({kHeader, Mturk("1", "x", ""), Mturk("2", "", "Boxes miss the car"),
                             Mturk("3", "", ""), Mturk("4", " ", "")},
                            kStates);
  CHECK(plan.refused.empty());
  REQUIRE(plan.apply.size() == 2);
  CHECK(plan.apply[0].id == 1);
  CHECK(plan.apply[0].approve);
  CHECK(plan.apply[0].row == 2);
  CHECK(plan.apply[1].id == 2);
  CHECK_FALSE(plan.apply[1].approve);
  CHECK(plan.apply[1].reason == "Boxes miss the car");
  CHECK(plan.undecided == 2);  // a cell of spaces is no mark
  CHECK(plan.skipped == 0);
}

TEST_CASE("MTurk layout: rows decided the same way are skipped, contradictions refused by row") {
  auto plan = PlanCsvReview({kHeader, Mturk("3", "x", ""), Mturk("4", "", "late"),
                             Mturk("1", "x", ""), Mturk("3", "", "no"), Mturk("4", "yes", "")},
                            kStates);
  CHECK(plan.skipped == 2);
  REQUIRE(plan.apply.size() == 1);
  CHECK(plan.apply[0].id == 1);
  REQUIRE(plan.refused.size() == 2);
  CHECK(plan.refused[0] == "row 5: assignment 3 was approved already; a review is final");
  CHECK(plan.refused[1] == "row 6: assignment 4 was rejected already; a review is final");
}

TEST_CASE("MTurk layout: both marks, unknown ids and a row contradicting an earlier row") {
  auto plan = PlanCsvReview({kHeader, Mturk("1", "x", "bad"), Mturk("zz9", "x", ""),
                             Mturk("2", "x", ""), Mturk("2", "", "bad"), Mturk("2", "x", "")},
                            kStates);
  CHECK(plan.apply.size() == 1);  // the caller applies nothing while anything is refused
  CHECK(plan.skipped == 1);
  REQUIRE(plan.refused.size() == 3);
  CHECK(plan.refused[0] == "row 2: both Approve and Reject are filled in; keep one");
  CHECK(plan.refused[1] == "row 3: no result with assignment id \"zz9\"");
  CHECK(plan.refused[2] == "row 5: assignment 2 is approved on row 4");
}

TEST_CASE("the older assignment,decision,reason layout still works") {
  auto plan = PlanCsvReview({{"assignment", "decision", "reason"},
                             {"1", "approve", ""},
                             {"2", "rejected", "wrong page"},
                             {"3", "approved", ""}},
                            kStates);
  CHECK(plan.refused.empty());
  CHECK(plan.skipped == 1);
  REQUIRE(plan.apply.size() == 2);
  CHECK(plan.apply[1].reason == "wrong page");
  auto bad = PlanCsvReview({{"1", "maybe", ""}, {"2", "reject", ""}}, kStates);
  REQUIRE(bad.refused.size() == 2);
  CHECK_THAT(bad.refused[0], Catch::StartsWith("row 1: decision must be approve or reject"));
  CHECK(bad.refused[1] == "row 2: a rejection needs a reason");
}

// A spreadsheet reads an id such as "1e5" as 1x10^5 and saves "100000": another assignment.
TEST_CASE("MTurk layout: a row whose HITId or WorkerId is not its assignment's is refused") {
  CsvRow mangled = Mturk("2", "x", "");
  mangled[1] = "1";  // task-2's row now names assignment 1
  CsvRow other_worker = Mturk("2", "x", "");
  other_worker[2] = "bo";
  auto plan = PlanCsvReview({kHeader, mangled, other_worker}, kStates);
  CHECK(plan.apply.empty());
  REQUIRE(plan.refused.size() == 2);
  CHECK(plan.refused[0] ==
        "row 2: assignment 1 is task task-1 by ana, not task-2 by ana (did a spreadsheet turn "
        "the AssignmentId into a number?)");
  CHECK_THAT(plan.refused[1], Catch::StartsWith("row 3: assignment 2 is task task-2 by ana, "
                                                "not task-2 by bo"));
  // Without HITId and WorkerId columns the id alone decides.
  auto bare = PlanCsvReview({{"AssignmentId", "Approve"}, {"1", "x"}}, kStates);
  CHECK(bare.refused.empty());
  CHECK(bare.apply.size() == 1);
}

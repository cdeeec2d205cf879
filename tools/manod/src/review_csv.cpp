#include "review_csv.h"

#include <algorithm>

#include "mano/sync/text_trim.h"
#include "server_clock.h"

namespace mano::manod {

namespace {

using sync::Trim;

// The index of `name` in `header`, or -1.
int ColumnOf(const CsvRow& header, const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::string Cell(const CsvRow& row, int column) {
  return column >= 0 && static_cast<size_t>(column) < row.size() ? row[column] : "";
}

// One row's wish, before it is checked against the results and the earlier rows.
struct Wish {
  size_t row;
  std::string id_text;
  bool approve;
  std::string reason;
  std::string task, worker;  // HITId and WorkerId as the row has them (MTurk layout), or ""
};

}  // namespace

CsvReviewPlan PlanCsvReview(const std::vector<CsvRow>& rows,
                            const std::map<int64_t, ResultFacts>& results) {
  CsvReviewPlan plan;
  std::vector<Wish> wishes;
  std::vector<std::pair<size_t, std::string>> refused;
  auto refuse = [&](size_t row, const std::string& why) { refused.emplace_back(row, why); };
  const CsvRow empty;
  const CsvRow& header = rows.empty() ? empty : rows[0];
  const int id_col = ColumnOf(header, "AssignmentId");
  const int approve_col = ColumnOf(header, "Approve");
  const int reject_col = ColumnOf(header, "Reject");
  const int task_col = ColumnOf(header, "HITId");
  const int worker_col = ColumnOf(header, "WorkerId");
  if (id_col >= 0 && (approve_col >= 0 || reject_col >= 0)) {
    for (size_t i = 1; i < rows.size(); ++i) {
      const std::string approve = Trim(Cell(rows[i], approve_col));
      const std::string reject = Trim(Cell(rows[i], reject_col));
      if (!approve.empty() && !reject.empty()) {
        refuse(i + 1, "both Approve and Reject are filled in; keep one");
      } else if (approve.empty() && reject.empty()) {
        ++plan.undecided;
      } else {
        wishes.push_back({i + 1, Trim(Cell(rows[i], id_col)), !approve.empty(), reject,
                          Trim(Cell(rows[i], task_col)), Trim(Cell(rows[i], worker_col))});
      }
    }
  } else {
    for (size_t i = 0; i < rows.size(); ++i) {
      const CsvRow& row = rows[i];
      if (i == 0 && !row.empty() && row[0] == "assignment") continue;  // header
      const std::string decision = Trim(Cell(row, 1));
      const std::string reason = Cell(row, 2);
      const bool approve = decision == "approve" || decision == "approved";
      if (!approve && decision != "reject" && decision != "rejected") {
        refuse(i + 1,
               "decision must be approve or reject (or give MTurk's results file with its "
               "AssignmentId, Approve and Reject columns)");
      } else if (!approve && Trim(reason).empty()) {
        refuse(i + 1, "a rejection needs a reason");
      } else {
        wishes.push_back({i + 1, Trim(Cell(row, 0)), approve, reason, "", ""});
      }
    }
  }
  std::map<int64_t, const Wish*> earlier;  // by assignment: the first row deciding it
  for (const Wish& w : wishes) {
    const int64_t id = DecodeId(w.id_text);
    auto found = id > 0 ? results.find(id) : results.end();
    if (found == results.end()) {
      refuse(w.row, "no result with assignment id \"" + w.id_text + "\"");
      continue;
    }
    const ResultFacts& facts = found->second;
    if ((!w.task.empty() && w.task != facts.task) ||
        (!w.worker.empty() && w.worker != facts.worker)) {
      refuse(w.row, "assignment " + w.id_text + " is task " + facts.task + " by " + facts.worker +
                        ", not " + w.task + " by " + w.worker +
                        " (did a spreadsheet turn the AssignmentId into a number?)");
      continue;
    }
    const std::string& state = facts.state;
    const std::string wanted = w.approve ? "approved" : "rejected";
    if (state == "approved" || state == "rejected") {
      if (state == wanted) {
        ++plan.skipped;
      } else {
        refuse(w.row, "assignment " + w.id_text + " was " + state + " already; a review is final");
      }
      continue;
    }
    if (state != "submitted") {
      refuse(w.row, "assignment " + w.id_text + " is " + state + ", not awaiting review");
      continue;
    }
    auto [before, fresh] = earlier.emplace(id, &w);
    if (fresh) {
      plan.apply.push_back({w.row, id, w.id_text, w.approve, w.reason});
    } else if (before->second->approve == w.approve) {
      ++plan.skipped;
    } else {
      refuse(w.row, "assignment " + w.id_text + " is " +
                        (before->second->approve ? "approved" : "rejected") + " on row " +
                        std::to_string(before->second->row));
    }
  }
  std::stable_sort(refused.begin(), refused.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [row, why] : refused) {
    plan.refused.push_back("row " + std::to_string(row) + ": " + why);
  }
  return plan;
}

}  // namespace mano::manod

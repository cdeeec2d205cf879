// ResultExporter: writes every accepted result (accepted or late_accepted, reviewed or not)
// from a ServerStore, either as JSONL — one object per result:
//   {"assignment":"1a","task":"rel-1","kind":"relevance","worker":"ana","status":"accepted",
//    "state":"approved","answer":{...},"input":{...},"accept_time":ms,"submit_time":ms,
//    "deadline":ms}
// or as a CSV in MTurk's batch-results layout: the fixed columns of kMturkFixedColumns in
// MTurk's order (times in MTurk's date format, in UTC; cells manod has no value for are empty:
// tools/manod/README.md lists them), then Input.<variable> and Answer.<field> columns
// (multi-choice values joined with '|', boxes as JSON), then empty Approve and Reject columns
// for the requester to mark (`manod review --csv` reads the file back). Every cell is made safe
// for spreadsheets (sync/csv_cell.h). Thread safety: one exporter per thread.
#pragma once

#include <cstdint>
#include <ostream>

#include "server_store.h"

namespace mano::manod {

inline constexpr const char* kMturkFixedColumns[] = {"HITId",
                                                     "HITTypeId",
                                                     "Title",
                                                     "Description",
                                                     "Keywords",
                                                     "Reward",
                                                     "CreationTime",
                                                     "MaxAssignments",
                                                     "RequesterAnnotation",
                                                     "AssignmentDurationInSeconds",
                                                     "AutoApprovalDelayInSeconds",
                                                     "Expiration",
                                                     "NumberOfSimilarHITs",
                                                     "LifetimeInSeconds",
                                                     "AssignmentId",
                                                     "WorkerId",
                                                     "AssignmentStatus",
                                                     "AcceptTime",
                                                     "SubmitTime",
                                                     "AutoApprovalTime",
                                                     "ApprovalTime",
                                                     "RejectionTime",
                                                     "RequesterFeedback",
                                                     "WorkTimeInSeconds",
                                                     "LifetimeApprovalRate",
                                                     "Last30DaysApprovalRate",
                                                     "Last7DaysApprovalRate"};

class ResultExporter {
 public:
  explicit ResultExporter(ServerStore& store) : store_(store) {}
  // Both return the number of results written.
  int WriteJsonl(std::ostream& out);
  // `now` (ms) places the 30- and 7-day windows of the approval rates.
  int WriteMturkCsv(std::ostream& out, int64_t now);

 private:
  ServerStore& store_;
};

}  // namespace mano::manod

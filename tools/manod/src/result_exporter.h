// ResultExporter: writes every accepted result (accepted or late_accepted, reviewed or not)
// from a ServerStore, either as JSONL — one object per result:
//   {"assignment":"1a","task":"rel-1","kind":"relevance","worker":"ana","status":"accepted",
//    "state":"approved","answer":{...},"input":{...},"accept_time":ms,"submit_time":ms,
//    "deadline":ms}
// or as a CSV in MTurk's batch-results layout: HITId, HITTypeId, AssignmentId, WorkerId,
// AssignmentStatus (Submitted|Approved|Rejected), AcceptTime, SubmitTime (MTurk's date format,
// in UTC), then Input.<variable> and Answer.<field> columns (multi-choice values joined with
// '|', boxes as JSON). Thread safety: one exporter per thread.
#pragma once

#include <ostream>

#include "server_store.h"

namespace mano::manod {

class ResultExporter {
 public:
  explicit ResultExporter(ServerStore& store) : store_(store) {}
  // Both return the number of results written.
  int WriteJsonl(std::ostream& out);
  int WriteMturkCsv(std::ostream& out);

 private:
  ServerStore& store_;
};

}  // namespace mano::manod

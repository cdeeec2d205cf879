// The worker's own report on the requesters she worked for, from her local record (the
// assignments with the requester their task named, the server's events, the receipts and the
// work journal): what Turkopticon's reviewers ask for, with nothing taken on trust.
//
// One row per requester and currency (tasks that named no requester share one row, id ""):
//   done            assignments submitted (queued, accepted, approved, rejected, refused...)
//   approved, rejected, late_refused, pending   of those
//   earned          approved rewards + bonuses on its tasks (integer micro-units)
//   work_ms         time on all its assignments, returned, expired and refused ones too
//                   (TaskTimeMs: the ledger's time per task)
//   pay per real hour = earned / work_ms; rejection rate = rejected / (approved + rejected);
//   late refusals = late_refused / done
//   days to approval / to payment: the median, over its approved tasks, of the time from
//                   the submit (the server's receipt time, else the journal's) to the
//                   `approved` event / to the `payment` event naming the assignment
//   reasons         each rejection reason given, with how often
// The share (RequestersShare) is the same figures with nothing that identifies the worker:
// no account, server, assignment or task id, no time finer than a day.
// Thread safety: pure computation over a Store the caller does not share meanwhile.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mano/storage/store.h"

namespace mano::client::ledger {

struct RequesterRow {
  std::string id;  // "" = tasks that named no requester
  std::string name;
  std::string currency;
  int64_t done = 0, approved = 0, rejected = 0, late_refused = 0, pending = 0;
  int64_t earned_micros = 0;  // approved rewards + bonuses
  int64_t bonus_micros = 0;
  int64_t work_ms = 0;
  std::vector<int64_t> to_approval_ms, to_payment_ms;  // one per approved / paid task
  std::map<std::string, int64_t> reasons;              // rejection reason -> times given

  std::string HourlyWage() const;            // "1.25" per hour in currency, "" without time
  std::string RejectionRate() const;         // "33.3" percent, "" when nothing was decided
  std::string LateRefusalRate() const;       // "10.0" percent of done, "" when none done
  std::string MedianDaysToApproval() const;  // "2.0" days, "" when none
  std::string MedianDaysToPayment() const;
};

struct RequesterReport {
  std::vector<RequesterRow> rows;  // by name, then id, then currency
};

// Working time per assignment (local id -> ms), as the ledger counts it: the journal's
// "active_time" entries on the assignment.
std::map<int64_t, int64_t> TaskTimeMs(storage::Store& store);

RequesterReport ComputeRequesters(storage::Store& store);

// A table that fits `width` columns, a legend, then the reasons given, per requester.
std::string RenderRequestersText(const RequesterReport& report, int width = 80);
// Header line then one line per row. Columns:
//   requester_id,requester_name,currency,done,approved,rejected,late_refused,pending,
//   earned,earned_micros,bonus,bonus_micros,work_ms,hourly_wage,rejection_rate_percent,
//   late_refusal_percent,median_days_to_approval,median_days_to_payment,reasons
// (reasons: "count x reason" joined by " | ").
std::string RequestersCsv(const RequesterReport& report);
// {"requesters":[{same names as the CSV, numbers for counts, *_micros and work_ms;
//   "reasons":[{"reason","count"}]}]}
std::string RequestersJson(const RequesterReport& report);
// The shareable report (docs/CLI.md): {"format":"mano-requesters-share-v1","day":"YYYY-MM-DD",
// "requesters":[...]} with the JSON's members except anything about the worker.
std::string RequestersShare(const RequesterReport& report, int64_t now_ms);

}  // namespace mano::client::ledger

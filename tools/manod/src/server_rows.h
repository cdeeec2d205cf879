// Row-to-struct mappings and small decisions that the SQLite and PostgreSQL stores share.
// Both backends select the same columns in the same order and read a row through
// Columns(...) (storage::Statement's for SQLite, PgRow's for PostgreSQL), so each struct's
// column order is written once, here. What stays parallel in the two stores (their SQL,
// locking and transactions) differs between the databases; docs/ARCHITECTURE.md says why.
// Header-only; no state; thread safety is the caller's row object's.
#pragma once

#include <cstdint>
#include <string>

#include "operator_views.h"
#include "server_store.h"

namespace mano::manod {

// The select list ReadAssignment reads (a = assignments, t = tasks).
inline constexpr const char* kAssignmentColumns =
    "a.id, a.task_id, a.worker_id, a.state, a.leased_at, a.deadline, t.task_json";

template <class Row>
AssignmentRecord ReadAssignment(const Row& row) {
  AssignmentRecord a;
  row.Columns(a.id, a.task_id, a.worker_id, a.state, a.leased_at, a.deadline, a.task_json);
  return a;
}

// The record of a lease just taken (the stores insert the row, then answer with this).
inline AssignmentRecord NewLease(int64_t id, std::string task_id, int64_t worker_id, int64_t now,
                                 int64_t deadline, std::string task_json) {
  return AssignmentRecord{id,  std::move(task_id), worker_id,           "leased",
                          now, deadline,           std::move(task_json)};
}

// "id, task_id, kind, worker, state, leased_at, deadline, submitted_at" (NULL reads as 0).
template <class Row>
AssignmentView ReadAssignmentView(const Row& row) {
  AssignmentView a;
  row.Columns(a.id, a.task_id, a.kind, a.worker, a.state, a.leased_at, a.deadline, a.submitted_at);
  return a;
}

// ForEachResult's query, whose columns ReadExportRow reads. `title` and `instructions` are
// the dialect's expressions for those strings of task_json's form. The review is the latest
// approved/rejected event of the assignment (there is at most one).
inline std::string ExportRowsQuery(const std::string& title, const std::string& instructions) {
  return "SELECT a.id, t.id, t.kind, w.name, r.answer, t.input_json, a.state, r.status,"
         " a.leased_at, r.t, a.deadline, COALESCE(" +
         title + ", ''), COALESCE(" + instructions +
         ", ''), t.reward, t.currency, t.max_assignments, t.lease_ms, t.created,"
         " COALESCE(e.t, 0), COALESCE(e.reason, '') FROM results r"
         " JOIN assignments a ON a.id=r.assignment_id JOIN tasks t ON t.id=a.task_id"
         " JOIN workers w ON w.id=a.worker_id"
         " LEFT JOIN events e ON e.seq=(SELECT MAX(seq) FROM events x WHERE"
         " x.assignment_id=a.id AND x.type IN ('approved','rejected'))"
         " ORDER BY a.id";
}

// The columns of ExportRowsQuery, in order.
template <class Row>
ExportRow ReadExportRow(const Row& row) {
  ExportRow e;
  row.Columns(e.assignment_id, e.task_id, e.kind, e.worker, e.answer_json, e.input_json, e.state,
              e.status, e.leased_at, e.submitted_at, e.deadline, e.title, e.description, e.reward,
              e.currency, e.max_assignments, e.lease_ms, e.task_created, e.reviewed_at,
              e.review_reason);
  return e;
}

}  // namespace mano::manod

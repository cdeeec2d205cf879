// How the command line shows assignments: the `mano list` table (fits 80 columns) and
// JSON array, and the `mano show` text and JSON object. Field names of the JSON forms are a
// contract (docs/CLI.md). Times are RFC 3339 in server time; money is a decimal string in
// `currency`. Not thread-safe (reads the Store passed in).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "mano/storage/store.h"
#include "mano/sync/json_util.h"

namespace mano::client {

// The members of one `mano list --json` item (inside an object the caller opened), from
// the lean listing row (Store::ListAssignmentSummaries): no payload is read.
void WriteAssignmentSummary(sync::JsonOut& out, const storage::AssignmentSummary& a);

// `mano claim`: the table of the assignments given, header included.
std::string AssignmentTable(const std::vector<storage::AssignmentSummary>& list);

// `mano list`: every assignment, by id, as the table (header included) or as the JSON
// array (and a final newline), written to `out` as the rows are read: no task payload is
// loaded and the JSON never sits in memory whole. Returns the number of assignments; the
// table writes nothing at all when there are none.
int64_t WriteAssignmentList(std::ostream& out, storage::Store& store, bool json);

// `mano show --json`: one object (summary members + form, fields, draft, assets).
std::string AssignmentDetailJson(storage::Store& store, const storage::Assignment& a);

// `mano show`: title, instructions, what to look at, and each field with its value, fitted to
// 80 columns (long options, paths and texts wrap, continuation lines indented).
std::string AssignmentDetailText(storage::Store& store, const storage::Assignment& a);

}  // namespace mano::client

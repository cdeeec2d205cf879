// How the command line shows assignments: the `mano list` table (fits 80 columns) and
// JSON array, and the `mano show` text and JSON object. Field names of the JSON forms are a
// contract (docs/CLI.md). Times are RFC 3339 in server time; money is a decimal string in
// `currency`. Not thread-safe (reads the Store passed in).
#pragma once

#include <string>
#include <vector>

#include "mano/storage/store.h"
#include "mano/sync/json_util.h"

namespace mano::client {

// The members of one `mano list --json` item (inside an object the caller opened).
void WriteAssignmentSummary(sync::JsonOut& out, storage::Store& store,
                            const storage::Assignment& a);

// `mano list`: the table, header included.
std::string AssignmentTable(storage::Store& store, const std::vector<storage::Assignment>& list);

// `mano show --json`: one object (summary members + form, fields, draft, assets).
std::string AssignmentDetailJson(storage::Store& store, const storage::Assignment& a);

// `mano show`: title, instructions, what to look at, and each field with its value.
std::string AssignmentDetailText(storage::Store& store, const storage::Assignment& a);

}  // namespace mano::client

// The operator's read-only views of a manod database, called by main.cpp:
//   manod status      [--json]                 tasks per kind, assignments per state, workers
//   manod assignments [--worker NAME] [--json] one line (or object) per assignment
// Both read a consistent snapshot and take no write lock, so they run beside `manod serve`.
// A lease whose deadline has passed shows as `expired` (operator_views.h). Human output is a
// table with times in UTC (RFC 3339); --json prints one JSON document on stdout (ids encoded
// as on the wire, times in ms since the epoch, plus RFC 3339 copies).
// Each returns the exit status (0, or 1 with one line on stderr) and never throws.
#pragma once

#include <string>

namespace mano::manod {

// `clock_file`: tests only, the offset file a test gives `serve --test-clock-file` ("" none).
int RunStatus(const std::string& db, bool json, const std::string& clock_file = {});
int RunAssignments(const std::string& db, const std::string& worker, bool json,
                   const std::string& clock_file = {});

}  // namespace mano::manod

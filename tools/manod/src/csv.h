// RFC 4180 CSV, as MTurk's batch input and results files use it: comma-separated, fields with
// commas, quotes or line breaks in double quotes, quotes doubled. A UTF-8 BOM at the start is
// skipped (spreadsheets write one). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mano::manod {

using CsvRow = std::vector<std::string>;

// Parses a whole file. Throws std::runtime_error naming the line of an unclosed quote.
std::vector<CsvRow> ParseCsv(std::string_view text);
// One line (with "\r\n", as MTurk writes), quoting only where needed; every cell made safe
// for spreadsheets (a leading ' on one that would run as a formula: sync/csv_cell.h).
std::string CsvLine(const CsvRow& row);

}  // namespace mano::manod

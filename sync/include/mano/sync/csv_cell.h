// One CSV cell as every CSV mano writes it (manod's exports, the client's ledger): RFC 4180
// quoting, and spreadsheet safety against CSV ("formula") injection as OWASP's guidance says.
//
// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and one that
// starts with a tab or a carriage return can hide such a start; a value written by a worker or
// a requester ("=HYPERLINK(...)") would then run on the reviewer's machine. Such a cell gets a
// single quote (') in front, which spreadsheets show as text and do not evaluate, and is
// enclosed in double quotes. A cell that is only a decimal number (an optional '-', digits, an
// optional '.' and digits: "-1.50") is a number to every spreadsheet, never a formula, and is
// written as it is, so negative amounts stay numbers. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mano::sync {

// `text` with a leading ' when a spreadsheet would read it as a formula (see above).
std::string SpreadsheetSafe(std::string_view text);
// The cell as written between commas: SpreadsheetSafe, then in double quotes (quotes doubled)
// when it holds a comma, quote or line break or was made safe.
std::string CsvCell(std::string_view text);

}  // namespace mano::sync

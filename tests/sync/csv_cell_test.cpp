// CsvCell / SpreadsheetSafe: RFC 4180 quoting and OWASP's CSV-injection rule, with numbers
// (negative amounts included) left readable as numbers.
#include "mano/sync/csv_cell.h"

#include <catch2/catch.hpp>

using mano::sync::CsvCell;
using mano::sync::SpreadsheetSafe;

TEST_CASE("a cell a spreadsheet would run as a formula gets a leading quote") {
  for (const char* cell : {"=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1", "\r=1",
                           "=HYPERLINK(\"x\")", "-", "+", "-.5", "- 1", "--1", "=", "@"}) {
    INFO(cell);
    CHECK(SpreadsheetSafe(cell) == std::string("'") + cell);
    CHECK(CsvCell(cell).substr(0, 2) == "\"'");
    CHECK(CsvCell(cell).back() == '"');
  }
  CHECK(CsvCell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(CsvCell("=1") == "\"'=1\"");
}

TEST_CASE("numbers, ordinary text and an empty cell are written as they are") {
  for (const char* cell : {"-1.50", "-3", "0", "12.25", "1000000", "", "ana", "a=b", "1-2",
                           "Fri Jul 19 04:15:03 UTC 2019", "café", " =1"}) {
    INFO(cell);
    CHECK(SpreadsheetSafe(cell) == cell);
    CHECK(CsvCell(cell) == cell);
  }
}

TEST_CASE("commas, quotes and line breaks are quoted as RFC 4180 says") {
  CHECK(CsvCell("a,b") == "\"a,b\"");
  CHECK(CsvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvCell("two\nlines") == "\"two\nlines\"");
  CHECK(CsvCell("cr\rhere") == "\"cr\rhere\"");
}

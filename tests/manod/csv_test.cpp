// ParseCsv and CsvLine (csv.h): RFC 4180 as MTurk's files and spreadsheets write it, and
// every written cell safe to open in a spreadsheet.
#include "csv.h"

#include <catch2/catch.hpp>
#include <stdexcept>

using mano::manod::CsvLine;
using mano::manod::CsvRow;
using mano::manod::ParseCsv;

TEST_CASE("fields with commas, doubled quotes and line breaks parse whole") {
  auto rows = ParseCsv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\r\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == CsvRow{"a", "b", "c"});
  CHECK(rows[1] == CsvRow{"1", "x, y", "say \"hi\""});
  CHECK(rows[2] == CsvRow{"2", "two\nlines", ""});
}

TEST_CASE(
    "a UTF-8 byte order mark is skipped, blank lines are not rows, the last line may end "
    "without a break") {
  auto rows = ParseCsv("\xEF\xBB\xBFid,name\n\n1,café");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == "id");
  CHECK(rows[1] == CsvRow{"1", "café"});
  CHECK(ParseCsv("").empty());
  CHECK(ParseCsv("\"\"\n") == std::vector<CsvRow>{CsvRow{""}});
}

TEST_CASE("an unclosed quote names the line it opened on") {
  try {
    ParseCsv("a,b\n1,2\n3,\"open\nstill\n");
    FAIL("parsed");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "CSV: a quote opened on line 3 is never closed");
  }
}

TEST_CASE("CsvLine quotes only where needed, ends with CRLF and neutralises formulas") {
  CHECK(CsvLine({"a", "b c", ""}) == "a,b c,\r\n");
  CHECK(CsvLine({"x,y", "q\"q"}) == "\"x,y\",\"q\"\"q\"\r\n");
  CHECK(CsvLine({"=1+2", "-0.25", "@x", "-x"}) == "\"'=1+2\",-0.25,\"'@x\",\"'-x\"\r\n");
}

TEST_CASE("what CsvLine writes parses back to the same cells (formulas keep their quote)") {
  CsvRow row = {"plain", "with, comma", "with \"quotes\"", "two\r\nlines", "", "ünï", "-12.5"};
  auto back = ParseCsv(CsvLine(row) + CsvLine(row));
  REQUIRE(back.size() == 2);
  CHECK(back[0] == row);
  CHECK(back[1] == row);
  CHECK(ParseCsv(CsvLine({"=cmd"}))[0][0] == "'=cmd");
}

#include "mano/client/text_table.h"

#include <catch2/catch.hpp>
#include <sstream>

using mano::client::DisplayWidth;
using mano::client::TextTable;
using mano::client::TruncateToWidth;

namespace {
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}
}  // namespace

TEST_CASE("display width counts terminal cells of UTF-8", "[table]") {
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("caf\xc3\xa9") == 4);                               // café, precomposed
  CHECK(DisplayWidth("cafe\xcc\x81") == 4);                              // café, combining accent
  CHECK(DisplayWidth("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7") == 5);  // مرحبا
  CHECK(DisplayWidth("\xe6\x97\xa5\xe6\x9c\xac") == 4);                  // 日本: two wide
  CHECK(DisplayWidth("\xf0\x9f\x98\x80") == 2);                          // 😀
  CHECK(TruncateToWidth("abcdef", 4) == "abc\xe2\x80\xa6");
  CHECK(TruncateToWidth("\xe6\x97\xa5\xe6\x9c\xac\xe6\x97\xa5", 4) == "\xe6\x97\xa5\xe2\x80\xa6");
  CHECK(TruncateToWidth("abc", 3) == "abc");
}

TEST_CASE("a table fits 80 columns by shrinking the flexible column", "[table]") {
  TextTable t({{"ID"},
               {"ACCOUNT", TextTable::Align::kLeft, true, 6},
               {"KIND"},
               {"STATE"},
               {"DEADLINE"},
               {"REWARD", TextTable::Align::kRight}});
  t.AddRow({"1", "demo", "relevance", "claimed", "2026-11-28T14:00:00Z", "0.025 USD"});
  t.AddRow({"22",
            "a-very-long-account-name-on-a-cooperative-server-\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
            "bounding_boxes", "in_progress", "2026-11-28T14:00:00Z", "1.5 USD"});
  auto lines = Lines(t.Render(80));
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) {
    INFO(line);
    CHECK(DisplayWidth(line) <= 80);
    CHECK(line.back() != ' ');
  }
  CHECK(lines[0].rfind("ID  ACCOUNT", 0) == 0);
  CHECK_THAT(lines[2], Catch::Contains("\xe2\x80\xa6"));  // the long name was cut
  // Columns line up: DEADLINE starts at the same cell on every line.
  auto column_of = [](const std::string& line, const std::string& what) {
    return DisplayWidth(line.substr(0, line.find(what)));
  };
  CHECK(column_of(lines[1], "2026") == column_of(lines[0], "DEADLINE"));
  CHECK(column_of(lines[2], "2026") == column_of(lines[0], "DEADLINE"));
  // Right alignment of the reward.
  CHECK(DisplayWidth(lines[1]) == DisplayWidth(lines[0]));
}

TEST_CASE("a narrow table is left as it is", "[table]") {
  TextTable t({{"A"}, {"B", TextTable::Align::kRight}});
  t.AddRow({"x", "10"});
  t.AddRow({"yyy"});
  CHECK(t.Render() == "A     B\nx    10\nyyy\n");
}

TEST_CASE("a table measured row by row prints the same lines as one rendered whole", "[table]") {
  std::vector<TextTable::Column> columns = {{"ID", TextTable::Align::kRight},
                                            {"TITLE", TextTable::Align::kLeft, true, 5},
                                            {"PAY", TextTable::Align::kRight}};
  std::vector<std::vector<std::string>> rows = {
      {"1", "short", "0.025 USD"},
      {"22",
       "\xc2\xbfQu\xc3\xa9 tan \xc3\xbatil es\tel resultado\npara la consulta? " +
           std::string(60, 'x'),
       "1.5 USD"},
      {"333", "", ""}};
  TextTable whole(columns), streamed(columns);
  for (const auto& row : rows) {
    whole.AddRow(row);
    streamed.Measure(row);
  }
  std::string out = streamed.RenderHeader(60);
  for (const auto& row : rows) out += streamed.RenderRow(row);
  CHECK(out == whole.Render(60));
  CHECK_THAT(out, Catch::Contains("\xe2\x80\xa6"));  // the long title was cut to fit
  TextTable empty(columns);
  CHECK(empty.RenderHeader(60) == TextTable(columns).Render(60));
}

#include "mano/client/time_format.h"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace mano::client;

TEST_CASE("rfc3339: formats UTC with optional milliseconds", "[time]") {
  CHECK(FormatRfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(FormatRfc3339(1'795'000'000'000) == "2026-11-18T11:06:40Z");
  CHECK(FormatRfc3339(1'795'000'000'250) == "2026-11-18T11:06:40.250Z");
  CHECK(FormatRfc3339(951'782'400'000) == "2000-02-29T00:00:00Z");  // leap day
  CHECK(FormatRfc3339(-1000) == "1969-12-31T23:59:59Z");
  CHECK(FormatRfc3339(-62'167'219'200'000) == "0000-01-01T00:00:00Z");
  CHECK(FormatRfc3339(253'402'300'799'999) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("rfc3339: an instant beyond four-digit years shows at the nearest end", "[time]") {
  // A hostile server's deadline: RFC 3339 has no five-digit year.
  CHECK(FormatRfc3339(INT64_MAX) == "9999-12-31T23:59:59.999Z");
  CHECK(FormatRfc3339(INT64_MIN) == "0000-01-01T00:00:00Z");
}

TEST_CASE("rfc3339: parses what it formats, offsets and fractions", "[time]") {
  for (int64_t ms : {int64_t{0}, int64_t{1'795'000'000'000}, int64_t{1'795'000'000'250},
                     int64_t{951'782'400'000}, int64_t{4'102'444'799'999}})
    CHECK(ParseRfc3339(FormatRfc3339(ms)) == ms);
  CHECK(ParseRfc3339("2026-11-18T13:06:40+02:00") == 1'795'000'000'000);
  CHECK(ParseRfc3339("2026-11-18t11:06:40.25z") == 1'795'000'000'250);
  CHECK(ParseRfc3339("2026-11-18 06:06:40-05:00") == 1'795'000'000'000);
}

TEST_CASE("rfc3339: refuses malformed text", "[time]") {
  for (const char* bad :
       {"", "2026-11-18", "2026-11-18T11:06:40", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-18T24:00:00Z", "2026-11-18T11:06:40Zx", "2026-11-18T11:06:40.Z",
        "2026-11-18T11:06:40+2:00", "abcd-11-18T11:06:40Z"})
    CHECK_FALSE(ParseRfc3339(bad).has_value());
}

TEST_CASE("durations", "[time]") {
  CHECK(FormatDuration(45'000) == "45s");
  CHECK(FormatDuration(12 * 60'000 + 5'000) == "12m");
  CHECK(FormatDuration(3 * 3'600'000 + 5 * 60'000) == "3h05m");
  CHECK(FormatDuration(2 * 86'400'000 + 4 * 3'600'000) == "2d04h");
  CHECK(FormatDuration(-12 * 60'000) == "-12m");
}

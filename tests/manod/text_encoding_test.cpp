// DescribeEncodingProblem (text_encoding.h): an import file that is not UTF-8 is named for
// what it is, with the line, instead of failing later as "malformed JSON".
#include "text_encoding.h"

#include <catch2/catch.hpp>

using mano::manod::DescribeEncodingProblem;

TEST_CASE("UTF-8 text passes, with or without a byte order mark") {
  CHECK(DescribeEncodingProblem("id,query\n1,café bolívar ✓\n") == std::nullopt);
  CHECK(DescribeEncodingProblem("\xEF\xBB\xBFid\n") == std::nullopt);
  CHECK(DescribeEncodingProblem("") == std::nullopt);
}

TEST_CASE("Windows-1252 and Latin-1 bytes are named with the line and the character") {
  auto latin = DescribeEncodingProblem("id,query\n1,ok\n2,caf\xE9\n");
  REQUIRE(latin);
  CHECK_THAT(*latin, Catch::StartsWith("line 3: not UTF-8: byte 0xE9 is \"é\" in Windows-1252 or "
                                       "Latin-1 (ISO-8859-1)"));
  CHECK_THAT(*latin, Catch::Contains("iconv -f WINDOWS-1252 -t UTF-8"));
  auto smart = DescribeEncodingProblem("{\"t\":\"it\x92s\"}");
  REQUIRE(smart);
  CHECK_THAT(*smart, Catch::StartsWith("line 1: not UTF-8: byte 0x92 is \"’\" in Windows-1252"));
  // A UTF-8 sequence cut short is reported at its lead byte.
  auto cut = DescribeEncodingProblem("a\nb\xC3");
  REQUIRE(cut);
  CHECK_THAT(*cut, Catch::StartsWith("line 2: not UTF-8: byte 0xC3"));
}

TEST_CASE("UTF-16 and UTF-32 are recognised by their mark, UTF-16 without one by NUL bytes") {
  auto le = DescribeEncodingProblem(std::string("\xFF\xFEi\0d\0", 6));
  REQUIRE(le);
  CHECK_THAT(*le, Catch::Contains("UTF-16 (little-endian, byte order mark FF FE"));
  CHECK_THAT(*DescribeEncodingProblem("\xFE\xFF\0i"), Catch::Contains("big-endian"));
  CHECK_THAT(*DescribeEncodingProblem(std::string("\xFF\xFE\0\0i\0\0\0", 8)),
             Catch::Contains("UTF-32"));
  CHECK_THAT(*DescribeEncodingProblem(std::string("i\0d\0\n\0", 6)),
             Catch::Contains("UTF-16 without a byte order mark"));
  CHECK_THAT(*DescribeEncodingProblem("ok\n\xE9", 7), Catch::StartsWith("line 8: "));
}

// manod's readers of RFC 9110 header fields (tools/manod/src/http_fields.h): Range, If-Range,
// If-None-Match, Accept-Encoding, Content-Encoding and the Bearer scheme, case by case.
#include "http_fields.h"

#include <catch2/catch.hpp>

using namespace mano::manod;
using Kind = RangeAnswer::Kind;

namespace {

void CheckPart(std::string_view range, int64_t length, int64_t first, int64_t last) {
  INFO(range);
  const RangeAnswer r = ParseRange(range, length);
  REQUIRE(r.kind == Kind::kPart);
  CHECK(r.first == first);
  CHECK(r.last == last);
}

Kind KindOf(std::string_view range, int64_t length = 1000) {
  return ParseRange(range, length).kind;
}

}  // namespace

TEST_CASE("Range: one satisfiable range is a part, cut to the end", "[unit]") {
  CheckPart("bytes=0-9", 1000, 0, 9);
  CheckPart("bytes=500-", 1000, 500, 999);
  CheckPart("bytes=990-5000", 1000, 990, 999);
  CheckPart("bytes=999-999", 1000, 999, 999);
  CheckPart("bytes=-100", 1000, 900, 999);      // the last 100 bytes
  CheckPart("bytes=-5000", 1000, 0, 999);       // a suffix longer than the whole is the whole
  CheckPart("Bytes=0-9", 1000, 0, 9);           // the unit is case-insensitive
  CheckPart("bytes= 0-9 ,", 1000, 0, 9);        // list whitespace and empty elements
  CheckPart("bytes=0-99999999999999999999999", 1000, 0, 999);
}

TEST_CASE("Range: a range-set that cannot be read, or several ranges, is ignored", "[unit]") {
  for (const char* range : {"", "bytes=500-100", "bytes=5-4x", "bytes=x-", "bytes=-", "bytes=",
                            "bytes=5", "items=0-9", "bytes=1-2,4-5", "bytes=-x", "bytes 0-9",
                            "bytes=0-9,500-100"}) {
    INFO(range);
    CHECK(KindOf(range) == Kind::kWhole);
  }
  CHECK(KindOf("bytes=-5", 0) == Kind::kWhole);  // an empty asset: nothing but the whole
}

TEST_CASE("Range: a range wholly past the end is unsatisfiable (416)", "[unit]") {
  CHECK(KindOf("bytes=1000-") == Kind::kUnsatisfiable);
  CHECK(KindOf("bytes=1000-2000") == Kind::kUnsatisfiable);
  CHECK(KindOf("bytes=99999999999999999999-") == Kind::kUnsatisfiable);
  CHECK(KindOf("bytes=-0") == Kind::kUnsatisfiable);
  CHECK(KindOf("bytes=0-", 0) == Kind::kUnsatisfiable);
}

TEST_CASE("If-Range: strong comparison of entity-tags; a date never matches", "[unit]") {
  const std::string etag = "\"abc\"";
  CHECK(IfRangeHolds("", etag));
  CHECK(IfRangeHolds("\"abc\"", etag));
  CHECK_FALSE(IfRangeHolds("\"abd\"", etag));
  CHECK_FALSE(IfRangeHolds("W/\"abc\"", etag));  // weak tags never match strongly
  CHECK_FALSE(IfRangeHolds("Wed, 21 Oct 2015 07:28:00 GMT", etag));
  CHECK_FALSE(IfRangeHolds("\"abc\", \"abd\"", etag));  // one entity-tag, not a list
  CHECK_FALSE(IfRangeHolds("\"abc", etag));
}

TEST_CASE("If-None-Match: weak comparison over a list, and *", "[unit]") {
  CHECK(IfNoneMatchMatches("*", "\"abc\""));
  CHECK(IfNoneMatchMatches("\"abc\"", "\"abc\""));
  CHECK(IfNoneMatchMatches("W/\"abc\"", "\"abc\""));
  CHECK(IfNoneMatchMatches("\"abc\"", "W/\"abc\""));
  CHECK(IfNoneMatchMatches("\"x\", W/\"7\" ,\"y\"", "W/\"7\""));
  CHECK(IfNoneMatchMatches("\"x\",,\"abc\",", "\"abc\""));
  CHECK_FALSE(IfNoneMatchMatches("\"x\", \"y\"", "\"abc\""));
  CHECK_FALSE(IfNoneMatchMatches("", "\"abc\""));
  CHECK_FALSE(IfNoneMatchMatches("abc", "\"abc\""));        // not an entity-tag
  CHECK_FALSE(IfNoneMatchMatches("\"abc\" x", "\"abc\""));  // a list that cannot be read
  CHECK_FALSE(IfNoneMatchMatches("w/\"abc\"", "\"abc\""));  // W/ is case-sensitive
}

TEST_CASE("Accept-Encoding: weights, *, identity, case", "[unit]") {
  struct Case {
    const char* accept;  // the Accept-Encoding field
    const char* coding;
    double weight;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"zstd", "zstd", 1.0},
           {"gzip, ZSTD", "zstd", 1.0},
           {"zstd;q=0", "zstd", 0.0},
           {"zstd ; q=0.000", "zstd", 0.0},
           {"zstd;Q=0.5", "zstd", 0.5},
           {"gzip;q=1.0, zstd;q=0.25", "zstd", 0.25},
           {"*", "zstd", 1.0},
           {"*;q=0", "zstd", 0.0},
           {"zstd;q=0.8, *;q=0", "zstd", 0.8},
           {"gzip", "zstd", 0.0},
           {"", "zstd", 0.0},
           // An unreadable weight: the entry is skipped.
           {"zstd;q=2", "zstd", 0.0},
           {"zstd;q=0.1234", "zstd", 0.0},
           // identity is acceptable unless excluded, by itself or by *.
           {"zstd", "identity", 1.0},
           {"", "identity", 1.0},
           {"zstd, identity;q=0", "identity", 0.0},
           {"zstd, *;q=0", "identity", 0.0},
           {"Identity;q=0.5", "identity", 0.5},
       }) {
    INFO("Accept-Encoding: " << c.accept << ", coding " << c.coding);
    CHECK(CodingWeight(c.accept, c.coding) == c.weight);
  }
}

TEST_CASE("Content-Encoding and the Bearer scheme compare case-insensitively", "[unit]") {
  CHECK(IsCoding("zstd", "zstd"));
  CHECK(IsCoding("ZSTD", "zstd"));
  CHECK(IsCoding(" Zstd ", "zstd"));
  CHECK_FALSE(IsCoding("zstd, gzip", "zstd"));
  CHECK(BearerToken("Bearer abc").value() == "abc");
  CHECK(BearerToken("bearer abc").value() == "abc");
  CHECK(BearerToken("BEARER   abc").value() == "abc");
  CHECK_FALSE(BearerToken("Bearer").has_value());
  CHECK_FALSE(BearerToken("Bearer ").has_value());
  CHECK_FALSE(BearerToken("Basic abc").has_value());
  CHECK_FALSE(BearerToken("Bearerabc").has_value());
  CHECK_FALSE(BearerToken("Bearer a b").has_value());
}

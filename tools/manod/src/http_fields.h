// The request header fields manod interprets beyond framing, each read by one function here,
// as RFC 9110 defines it (section numbers below are RFC 9110's), so that ApiService never
// compares header text ad hoc. Token names (range unit, content coding, auth scheme) compare
// case-insensitively; lists allow optional whitespace and empty elements (section 5.6.1).
// Values come as libmicrohttpd gives them (leading and trailing whitespace removed; repeated
// field lines joined with ", " by HttpServer). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mano::manod {

// What a `Range` header asks of a representation of `length` bytes (section 14.2).
struct RangeAnswer {
  enum class Kind {
    kWhole,          // no Range, an unknown unit, a range-set that cannot be read (e.g.
                     // `bytes=500-100`), or several ranges (a server MAY ignore Range): 200
    kPart,           // one satisfiable range: 206 with bytes [first, last]
    kUnsatisfiable,  // one range, none of it inside the representation: 416, bytes */length
  };
  Kind kind = Kind::kWhole;
  int64_t first = 0;  // kPart: first and last byte, inclusive, last < length
  int64_t last = 0;
};
// `value` is the header ("" when absent). `bytes=N-`, `bytes=N-M` (M past the end is cut to
// the end) and the suffix form `bytes=-N` (the last N bytes) are served; numbers of any length
// are read (a first byte beyond int64 is simply past the end).
RangeAnswer ParseRange(std::string_view value, int64_t length);

// `If-Range` (section 13.1.5) against the representation's strong `etag` (quoted, as sent in
// ETag): true when the Range may be applied. An entity-tag matches only by strong comparison
// (a weak tag never does); a date never matches, as manod sends no Last-Modified. An absent
// header (empty `value`) is true.
bool IfRangeHolds(std::string_view value, std::string_view etag);

// `If-None-Match` (section 13.1.2) against the current `etag` (quoted, `W/` allowed): true
// when the header is `*` or lists a tag equal to `etag` by weak comparison (then GET and HEAD
// answer 304). A list that cannot be read matches nothing.
bool IfNoneMatchMatches(std::string_view value, std::string_view etag);

// The weight (0 to 1) `Accept-Encoding: value` gives `coding` (section 12.5.3): its own entry,
// else that of `*`, else 1 for "identity" and 0 for any other coding. An entry whose weight
// cannot be read is skipped. Names compare case-insensitively.
double CodingWeight(std::string_view value, std::string_view coding);

// True when `value` (a Content-Encoding) names `coding`, case-insensitively (section 8.4.1).
bool IsCoding(std::string_view value, std::string_view coding);

// The token of `Authorization: Bearer <token>` (RFC 6750 2.1; the scheme is case-insensitive,
// section 11.1, and one or more spaces may follow it), or nullopt for another scheme, no
// token, or a token with spaces in it. The view points into `value`.
std::optional<std::string_view> BearerToken(std::string_view value);

}  // namespace mano::manod

// RFC 8785 JSON Canonicalization Scheme (JCS): the canonical bytes that answer hashes and
// signed receipt bytes are made of since canonicalization version 2 (docs/PROTOCOL.md
// section 7). Any JCS library (JavaScript, Python, Go, Java) computes the same bytes.
//
// - strings: only `"`, `\` and U+0000..U+001F escaped; \b \t \n \f \r in short form, other
//   controls as \u00xx with lower-case hex; everything else as raw UTF-8;
// - numbers: IEEE doubles written as ECMAScript's Number.prototype.toString (shortest
//   round-trip digits; integers below 1e21 without exponent; 1e+21, 1e-7);
// - object members sorted by the UTF-16 code units of their names; no whitespace.
// Version 1 (the rules before JCS) stays for receipts and evidence already stored: see
// Answer::LegacyJson and LegacyReceiptBytes. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mano::sync {

// Canonicalization versions a receipt names in "cv" (absent: 1).
inline constexpr int kCanonLegacy = 1;  // section 7's rules before RFC 8785
inline constexpr int kCanonJcs = 2;     // RFC 8785

// The largest magnitude of a number an answer may hold: 2^53 - 1 (JavaScript's
// Number.MAX_SAFE_INTEGER). Beyond it not every integer is a double, so a written value
// could silently change; such numbers are refused.
inline constexpr std::int64_t kMaxExactInteger = 9007199254740991;

// ECMAScript Number::toString of a finite double (-0 gives "0"). Throws
// SyncError{kBadMessage} for NaN and infinities, which JSON cannot hold.
std::string JcsNumber(double value);
// Appends `utf8` (valid UTF-8) as a JCS string literal, quotes included.
void JcsAppendString(std::string& out, std::string_view utf8);
// The JCS form of any JSON text (parsed strictly, numbers to the nearest double). Throws
// SyncError{kBadMessage} for malformed JSON.
std::string JcsCanonicalize(std::string_view json);

}  // namespace mano::sync

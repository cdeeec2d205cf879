// Trimming of ASCII blanks, one definition for the whole project (client, sync, manod):
// no locale, no allocation for the view form.
//
//   TrimView(s, chars)  a view of `s` without its leading and trailing characters in `chars`
//   Trim(s, chars)      the same, copied into a std::string
//
// `chars` defaults to kAsciiSpace (what std::isspace accepts in the "C" locale); callers that
// must keep line breaks (a worker's text field) or follow a grammar (RFC 9110's OWS) pass
// their own set.
#pragma once

#include <string>
#include <string_view>

namespace mano::sync {

inline constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";
inline constexpr std::string_view kBlanks = " \t";  // also RFC 9110's OWS

constexpr std::string_view TrimView(std::string_view s, std::string_view chars = kAsciiSpace) {
  const size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

inline std::string Trim(std::string_view s, std::string_view chars = kAsciiSpace) {
  return std::string(TrimView(s, chars));
}

}  // namespace mano::sync

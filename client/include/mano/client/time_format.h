// Time and money as the command line shows them. Times are int64 milliseconds since the
// Unix epoch (server time where the protocol says so) rendered as RFC 3339 in UTC for
// machines and in the local time zone for people; money is
// int64 micro-units of a currency rendered as a plain decimal string. Thread-safe (the local
// zone is read with localtime_r).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mano::client {

// "2026-11-28T12:30:05Z"; milliseconds are shown (".250") only when not zero. RFC 3339 years
// have four digits: an instant before year 0000 or after 9999 is shown at that end.
std::string FormatRfc3339(int64_t ms);

// The same instant as a person reads it where they are: the local time zone (TZ, else
// /etc/localtime), to the minute, with the zone's abbreviation: "2026-11-28 13:30 CET".
// For human output only; JSON stays FormatRfc3339 (UTC).
std::string FormatLocalTime(int64_t ms);

// Parses "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm|-hh:mm]" (also 't'/' ' as separator, 'z').
// nullopt when malformed or out of range.
std::optional<int64_t> ParseRfc3339(const std::string& text);

// A short, language-neutral duration: "45s", "12m", "3h05m", "2d04h"; negative as "-12m".
std::string FormatDuration(int64_t ms);

}  // namespace mano::client

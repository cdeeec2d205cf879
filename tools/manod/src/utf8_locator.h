// Finds where invalid UTF-8 sits in a JSON body, so a 400 can name the field.
//
// The protocol's JsonDocument (sync/json_util.h) refuses invalid UTF-8 while parsing, which
// is right, but at that point it knows only a byte offset, not a member path. This local
// adapter re-parses the body without the encoding check and walks it to the first string or
// member name that is not valid UTF-8, returning its path in the protocol's style
// ("results[0].v.note"). Time and memory are linear in the body; a body nested deeper than
// sync::kMaxJsonDepth is not walked at all. Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mano::manod {

// The path of the first invalid UTF-8 string (or the member whose name is invalid), or
// nullopt when the body does not parse even without the check, nests deeper than
// sync::kMaxJsonDepth, or has none. An invalid string at the root gives "".
std::optional<std::string> LocateInvalidUtf8(std::string_view json);

}  // namespace mano::manod

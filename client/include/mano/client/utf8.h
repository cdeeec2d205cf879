// UTF-8 to code points and back: the one codec of the client (config parser, terminal UI).
// Decoding is lenient: an invalid, overlong, surrogate or truncated sequence becomes U+FFFD
// and decoding resumes at the next byte, so text from a file or a server never throws.
// Encoding writes the shortest form of any code point <= U+10FFFF (callers that take code
// points from outside, such as a TOML "\u" escape, reject surrogates themselves). For a
// strict yes/no check of protocol text see mano::sync::IsValidUtf8. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mano::client {

// Code points of `text`; each bad byte becomes U+FFFD.
std::u32string DecodeUtf8(std::string_view text);

// Appends the UTF-8 bytes of `cp` to `out`.
void AppendUtf8(std::string& out, char32_t cp);
std::string EncodeUtf8(char32_t cp);
std::string EncodeUtf8(std::u32string_view text);

}  // namespace mano::client

// UTF-8 text: the one codec and the one display-width model of the client (command line,
// tables, config, terminal UI), both from utf8proc (Debian's libutf8proc-dev, Unicode 15):
// no dependence on the process locale or on the C library's wcwidth tables.
//
// Decoding is lenient: an invalid, overlong, surrogate or truncated sequence becomes U+FFFD
// and decoding resumes at the next byte, so text from a file or a server never throws.
// Encoding writes the shortest form of any valid code point (nothing for one that is not).
// For a strict yes/no check of protocol text see mano::sync::IsValidUtf8 (also utf8proc).
//
// Widths are terminal columns of user-visible characters (extended grapheme clusters: a base
// with its combining marks, emoji modifier / variation selector / ZWJ sequences, flag pairs):
// 0 for nothing, 2 for wide (CJK, emoji), 1 otherwise. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mano::client {

// Code points of `text`; each bad byte becomes U+FFFD.
std::u32string DecodeUtf8(std::string_view text);

// Appends the UTF-8 bytes of `cp` to `out`.
void AppendUtf8(std::string& out, char32_t cp);
std::string EncodeUtf8(char32_t cp);
std::string EncodeUtf8(std::u32string_view text);

// Columns one code point takes: 0 for combining marks and joiners, 2 for wide (CJK, emoji),
// 1 otherwise. Control characters count 1 (they are drawn as a replacement).
int CodePointWidth(char32_t cp);

// Start offsets (code point indexes) of every user-visible character, plus text.size()
// at the end: boundaries[i]..boundaries[i+1] is character i.
std::vector<size_t> GraphemeBoundaries(std::u32string_view text);

// Columns of a grapheme (its base's width; at least 1 for a lone mark, 2 for emoji
// presentation sequences and flags).
int GraphemeWidth(std::u32string_view grapheme);
// Columns of a whole UTF-8 string; an invalid byte counts as one.
int DisplayWidth(std::string_view text);

// The longest prefix of `text` that fits in `width` columns (cut between graphemes); when
// the text was cut and `ellipsis` is set, the last column becomes "…".
std::string FitToWidth(std::string_view text, int width, bool ellipsis = true);
// FitToWidth padded with spaces to exactly `width` columns.
std::string PadToWidth(std::string_view text, int width);
// Word-wraps `text` into lines of at most `width` columns (long words are cut); '\n' breaks.
std::vector<std::string> WrapText(std::string_view text, int width);

}  // namespace mano::client

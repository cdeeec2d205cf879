// UTF-8 text measured the way a terminal shows it: code points decoded leniently by
// mano/client/utf8.h (a bad byte becomes U+FFFD, never an exception), grouped into
// user-visible characters (a base with its combining marks, emoji modifier / variation
// selector / ZWJ sequences, flag pairs), and measured in terminal columns with wcwidth().
// Every screen lays text out through these functions so accents, Arabic and emoji never push
// a line past its width.
// Requires a UTF-8 LC_CTYPE for wcwidth (InitLanguage sets C.UTF-8 when needed); without one
// every printable code point counts as one column. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mano/client/terminal_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {

// The client's UTF-8 codec (mano/client/utf8.h), by its UI names.
using mano::client::DecodeUtf8;
using mano::client::EncodeUtf8;

// Columns one code point takes: 0 for combining marks and joiners, 2 for wide (CJK, emoji),
// 1 otherwise. Control characters count 1 (they are drawn as a replacement).
int CodePointWidth(char32_t cp);
// True for code points that attach to the character before them (combining marks, ZWJ,
// variation selectors, emoji modifiers, tags).
bool IsExtender(char32_t cp);

// Start offsets (code point indexes) of every user-visible character, plus text.size()
// at the end: boundaries[i]..boundaries[i+1] is character i.
std::vector<size_t> GraphemeBoundaries(std::u32string_view text);

// Columns of a grapheme (its base's width; at least 1 for a lone extender, 2 for emoji
// presentation sequences).
int GraphemeWidth(std::u32string_view grapheme);
// Columns of a whole UTF-8 string.
int DisplayWidth(std::string_view text);

// The longest prefix of `text` that fits in `width` columns (cut between graphemes); when
// the text was cut and `ellipsis` is set, the last column becomes "…".
std::string FitToWidth(std::string_view text, int width, bool ellipsis = true);
// FitToWidth padded with spaces to exactly `width` columns.
std::string PadToWidth(std::string_view text, int width);
// Word-wraps `text` into lines of at most `width` columns (long words are cut); '\n' breaks.
std::vector<std::string> WrapText(std::string_view text, int width);

// Text from servers is cleaned before it is drawn (mano/client/terminal_text.h).
using mano::client::LineBreaks;
using mano::client::TerminalSafe;

}  // namespace mano::client::ui

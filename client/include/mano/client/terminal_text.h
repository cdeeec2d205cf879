// Text that is not ours (a server's task titles, instructions, rejection reasons, error
// messages; a file's contents) made safe to print on a terminal. A terminal obeys what it is
// sent: an escape sequence in a task title could set the window title, clear the screen,
// move the cursor or write the clipboard (OSC 52), and bidi overrides could make a line read
// differently from what it holds. Every printing path of the client (the plain commands and
// the full-screen UI) cleans foreign text with TerminalSafe; JSON output stays exact data and
// goes through JsonForTerminal. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mano::client {

// Whether a field may span lines (instructions, free-text values) or must stay on one.
enum class LineBreaks { kFlatten, kKeep };

// `text` with:
// - escape sequences removed whole: ESC or 8-bit CSI (U+009B) with their parameters, and
//   the strings of OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ or U+009D U+0090 U+0098 U+009E U+009F)
//   up to their terminator (BEL, ESC \ or U+009C; an unterminated one runs to the end);
// - every other control character (C0, DEL, C1) replaced by a space; a line break too with
//   kFlatten, kept with kKeep ("\r\n" then becomes "\n");
// - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) removed;
// - invalid UTF-8 replaced by U+FFFD (mano/client/utf8.h).
std::string TerminalSafe(std::string_view text, LineBreaks breaks = LineBreaks::kFlatten);

// JSON text with DEL, C1 controls and bidi controls written as \u escapes (JSON writers
// escape only C0): the same data, and nothing a terminal acts on. Assumes `json` is valid
// JSON in UTF-8, where these code points can occur only inside strings.
std::string JsonForTerminal(std::string_view json);

}  // namespace mano::client

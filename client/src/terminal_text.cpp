#include "mano/client/terminal_text.h"

#include <cstdio>

#include "mano/client/utf8.h"

namespace mano::client {
namespace {

constexpr char32_t kEsc = 0x1B;
constexpr char32_t kBel = 0x07;
constexpr char32_t kCsi8 = 0x9B;  // C1 forms of ESC [ and the string terminator ESC \.
constexpr char32_t kSt8 = 0x9C;

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }
bool IsBidiControl(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}
// Introducers of a control string (OSC, DCS, SOS, PM, APC), after ESC or as C1.
bool OpensString7(char32_t cp) {
  return cp == U']' || cp == U'P' || cp == U'X' || cp == U'^' || cp == U'_';
}
bool OpensString8(char32_t cp) {
  return cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F;
}

// Index after the control string starting at `i` (just after its introducer).
size_t SkipString(std::u32string_view cps, size_t i) {
  for (; i < cps.size(); ++i) {
    if (cps[i] == kBel || cps[i] == kSt8) return i + 1;
    if (cps[i] == kEsc && i + 1 < cps.size() && cps[i + 1] == U'\\') return i + 2;
  }
  return i;
}

// Index after a CSI's parameters, intermediates and final byte, from `i`. A character that
// cannot be part of it ends the sequence there and stays.
size_t SkipCsi(std::u32string_view cps, size_t i) {
  while (i < cps.size() && cps[i] >= 0x30 && cps[i] <= 0x3F) ++i;
  while (i < cps.size() && cps[i] >= 0x20 && cps[i] <= 0x2F) ++i;
  if (i < cps.size() && cps[i] >= 0x40 && cps[i] <= 0x7E) ++i;
  return i;
}

}  // namespace

std::string TerminalSafe(std::string_view text, LineBreaks breaks) {
  const std::u32string decoded = DecodeUtf8(text);
  const std::u32string_view cps(decoded);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < cps.size()) {
    const char32_t cp = cps[i++];
    if (cp == kEsc) {
      if (i >= cps.size()) break;
      if (cps[i] == U'[') {
        i = SkipCsi(cps, i + 1);
      } else if (OpensString7(cps[i])) {
        i = SkipString(cps, i + 1);
      } else {
        while (i < cps.size() && cps[i] >= 0x20 && cps[i] <= 0x2F) ++i;  // nF intermediates
        if (i < cps.size() && cps[i] >= 0x30 && cps[i] <= 0x7E) ++i;     // final
      }
    } else if (cp == kCsi8) {
      i = SkipCsi(cps, i);
    } else if (OpensString8(cp)) {
      i = SkipString(cps, i);
    } else if (cp == U'\n' && breaks == LineBreaks::kKeep) {
      out += '\n';
    } else if (cp == U'\r' && breaks == LineBreaks::kKeep && i < cps.size() && cps[i] == U'\n') {
      continue;  // "\r\n" is one line break
    } else if (IsControl(cp)) {
      out += ' ';
    } else if (!IsBidiControl(cp)) {
      AppendUtf8(out, cp);
    }
  }
  return out;
}

std::string JsonForTerminal(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  const std::u32string cps = DecodeUtf8(json);
  for (const char32_t cp : cps) {
    if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || IsBidiControl(cp)) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(cp));
      out += escape;
    } else {
      AppendUtf8(out, cp);
    }
  }
  return out;
}

}  // namespace mano::client

// HasTerminalControl: whether text holds anything a terminal would act on rather than show,
// for the tests that check what mano prints. Header-only; pure.
#pragma once

#include <string>

namespace mano::test {

// True when `s` holds a C0 control but '\n', DEL, a C1 control (as UTF-8: C2 80..C2 9F)
// or a bidi embedding/override/isolate (E2 80 AA..AE, E2 81 A6..A9).
inline bool HasTerminalControl(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    const auto third = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) return true;
    if (c == 0xE2 && next == 0x80 && third >= 0xAA && third <= 0xAE) return true;
    if (c == 0xE2 && next == 0x81 && third >= 0xA6 && third <= 0xA9) return true;
  }
  return false;
}

}  // namespace mano::test

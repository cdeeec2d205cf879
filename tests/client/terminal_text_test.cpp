// TerminalSafe / JsonForTerminal: what a hostile server's text becomes before it is printed.
#include "mano/client/terminal_text.h"

#include <catch2/catch.hpp>

#include "terminal_controls.h"

using mano::client::JsonForTerminal;
using mano::client::LineBreaks;
using mano::client::TerminalSafe;

using mano::test::HasTerminalControl;

TEST_CASE("terminal text: escape sequences are removed whole", "[client][terminal]") {
  CHECK(TerminalSafe("a\x1b[2Jb") == "ab");  // clear screen
  CHECK(TerminalSafe("a\x1b]0;owned\x07"
                     "b") == "ab");                           // window title, BEL
  CHECK(TerminalSafe("a\x1b]52;c;ZXZpbA==\x1b\\b") == "ab");  // clipboard, ST
  CHECK(TerminalSafe("a\x1bPq#0\x1b\\b") == "ab");            // DCS
  CHECK(TerminalSafe("a\x1b(0b") == "ab");                    // charset switch
  CHECK(TerminalSafe("a\xc2\x9b"
                     "2Jb") == "ab");  // 8-bit CSI
  CHECK(TerminalSafe("a\xc2\x9d"
                     "0;t\xc2\x9c"
                     "b") == "ab");                          // 8-bit OSC, ST
  CHECK(TerminalSafe("title\x1b]0;never ends") == "title");  // unterminated
  CHECK(TerminalSafe("end\x1b") == "end");
}

TEST_CASE("terminal text: other controls become spaces, line breaks as the field allows",
          "[client][terminal]") {
  CHECK(TerminalSafe("a\tb\rc\x7f"
                     "d\xc2\x85"
                     "e") == "a b c d e");
  CHECK(TerminalSafe("one\ntwo") == "one two");
  CHECK(TerminalSafe("one\ntwo", LineBreaks::kKeep) == "one\ntwo");
  CHECK(TerminalSafe("one\r\ntwo", LineBreaks::kKeep) == "one\ntwo");
  CHECK(TerminalSafe("a\x1b[31m\nb", LineBreaks::kKeep) == "a\nb");
}

TEST_CASE("terminal text: bidi controls go, invalid UTF-8 becomes U+FFFD, text stays",
          "[client][terminal]") {
  CHECK(TerminalSafe("pay\u202Edsu\u202C ok") == "paydsu ok");
  CHECK(TerminalSafe("\u2066x\u2069") == "x");
  CHECK(TerminalSafe("a\xff"
                     "b") == "a\uFFFDb");
  const std::string text = "Panadería · مرحبا · 東京 😀 \u200F";
  CHECK(TerminalSafe(text) == text);
  const std::string hostile =
      "\x1b]0;t\x07\x1b]52;c;eA==\x07\x1b[2J\xc2\x9b"
      "1m\u202E\u2067x\xc2\x90q\x1b\\\x01";
  CHECK_FALSE(HasTerminalControl(TerminalSafe(hostile)));
  CHECK_FALSE(HasTerminalControl(TerminalSafe(hostile, LineBreaks::kKeep)));
}

TEST_CASE("terminal text: JSON keeps the data and loses the controls", "[client][terminal]") {
  const std::string json =
      "{\"t\":\"a\xc2\x9b"
      "b\u202Ec\x7f\",\"n\":1}";
  const std::string safe = JsonForTerminal(json);
  CHECK(safe == "{\"t\":\"a\\u009Bb\\u202Ec\\u007F\",\"n\":1}");
  CHECK_FALSE(HasTerminalControl(safe));
  CHECK(JsonForTerminal("{\"a\":\"é 東\"}") == "{\"a\":\"é 東\"}");
}

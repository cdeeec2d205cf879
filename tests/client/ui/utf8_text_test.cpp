#include <catch2/catch.hpp>

#include "mano/client/terminal_text.h"
#include "mano/client/utf8.h"
#include "ui_test_support.h"

using namespace mano::client;
using namespace mano::client::ui;

TEST_CASE("utf8: display widths of accents, Arabic, emoji", "[ui][utf8]") {
  test::UseUtf8Locale();
  CHECK(DisplayWidth("cafe") == 4);
  CHECK(DisplayWidth("café") == 4);        // precomposed é
  CHECK(DisplayWidth("cafe\u0301") == 4);  // e + combining acute
  CHECK(DisplayWidth("مرحبا") == 5);
  CHECK(DisplayWidth("مَرْحَبًا") == 5);  // harakat take no column
  CHECK(DisplayWidth("😀") == 2);
  CHECK(DisplayWidth("日本") == 4);
  CHECK(DisplayWidth("👍🏽") == 2);            // skin tone modifier joins
  CHECK(DisplayWidth("👨‍👩‍👧") == 2);  // ZWJ family is one character
  CHECK(DisplayWidth("🇻🇪") == 2);                  // flag pair
}

TEST_CASE("utf8: graphemes group marks, ZWJ sequences and flags", "[ui][utf8]") {
  test::UseUtf8Locale();
  auto count = [](const char* s) { return GraphemeBoundaries(DecodeUtf8(s)).size() - 1; };
  CHECK(count("e\u0301") == 1);
  CHECK(count("👨‍👩‍👧") == 1);
  CHECK(count("🇻🇪🇨🇴") == 2);
  CHECK(count("مَرْ") == 2);
  CHECK(count("") == 0);
}

TEST_CASE("utf8: FitToWidth never exceeds the width, even with wide characters", "[ui][utf8]") {
  test::UseUtf8Locale();
  for (const char* s : {"日本語のテキスト", "😀😀😀😀😀", "مرحبا بالعالم", "cafe\u0301 cafe\u0301"}) {
    for (int w = 0; w < 12; ++w) {
      std::string fit = FitToWidth(s, w);
      CHECK(DisplayWidth(fit) <= w);
      CHECK(DisplayWidth(PadToWidth(s, w)) == w);
    }
  }
  CHECK(FitToWidth("abcdef", 4) == "abc…");
  CHECK(FitToWidth("abcdef", 4, false) == "abcd");
  CHECK(FitToWidth("日本語", 5) == "日本…");
  CHECK(FitToWidth("abc", 4) == "abc");
}

TEST_CASE("utf8: word wrap keeps lines within width", "[ui][utf8]") {
  test::UseUtf8Locale();
  auto lines = WrapText("Panadería La Esquina · Av. Urdaneta 12 · +58 212 555 0101", 20);
  for (const auto& l : lines) CHECK(DisplayWidth(l) <= 20);
  CHECK(lines.front() == "Panadería La Esquina");
  CHECK(WrapText("a\nb", 10) == std::vector<std::string>{"a", "b"});
  for (const auto& l : WrapText("😀😀😀😀😀😀😀😀😀😀😀", 5)) CHECK(DisplayWidth(l) <= 5);
}

TEST_CASE("utf8: control characters from servers are shown as spaces", "[ui][utf8]") {
  CHECK(TerminalSafe("a\x1b[2Jb\tc") == "ab c");
}

// The client's UTF-8 codec (mano/client/utf8.h), shared by the TOML parser and the UI.
#include "mano/client/utf8.h"

#include <catch2/catch.hpp>
#include <clocale>
#include <string>

using mano::client::AppendUtf8;
using mano::client::DecodeUtf8;
using mano::client::EncodeUtf8;

TEST_CASE("utf8: invalid bytes decode to U+FFFD and never throw", "[utf8]") {
  CHECK(DecodeUtf8("a\xff"
                   "b") == U"a\uFFFDb");
  CHECK(DecodeUtf8("\xc3") == U"\uFFFD");                                         // truncated
  CHECK(DecodeUtf8("\xc0\xaf") == U"\uFFFD\uFFFD");                               // overlong
  CHECK(DecodeUtf8("\xed\xa0\x80").find(U'\uFFFD') != std::u32string::npos);      // surrogate
  CHECK(DecodeUtf8("\xf4\x90\x80\x80").find(U'\uFFFD') != std::u32string::npos);  // > U+10FFFF
  CHECK(DecodeUtf8("\xe2\x82"
                   "x") == U"\uFFFD\uFFFDx");  // cut short: each byte stands alone
  CHECK(EncodeUtf8(DecodeUtf8("héllo 😀 مرحبا")) == "héllo 😀 مرحبا");
}

TEST_CASE("utf8: each length boundary encodes to its shortest form and back", "[utf8]") {
  struct Case {
    char32_t cp;
    const char* bytes;
  };
  for (Case c : {Case{0x41, "A"}, Case{0x7F, "\x7f"}, Case{0x80, "\xc2\x80"},
                 Case{0x7FF, "\xdf\xbf"}, Case{0x800, "\xe0\xa0\x80"}, Case{0xFFFF, "\xef\xbf\xbf"},
                 Case{0x10000, "\xf0\x90\x80\x80"}, Case{0x10FFFF, "\xf4\x8f\xbf\xbf"}}) {
    INFO(static_cast<unsigned>(c.cp));
    CHECK(EncodeUtf8(c.cp) == c.bytes);
    CHECK(DecodeUtf8(c.bytes) == std::u32string(1, c.cp));
  }
  std::string out = "x";
  AppendUtf8(out, U'é');
  CHECK(out == "xé");
  CHECK(EncodeUtf8(std::u32string_view(U"")) == "");
}

// One width model for the command line and the UI, from utf8proc: the same columns whatever
// the process locale (the UI's old model asked wcwidth, which under "C" counted 日本 as 2;
// the tables' hand-made one counted a skin-toned thumb as 4).
TEST_CASE("utf8: widths and graphemes do not depend on the locale", "[utf8]") {
  using mano::client::DisplayWidth;
  using mano::client::FitToWidth;
  using mano::client::GraphemeBoundaries;
  const std::string saved = setlocale(LC_ALL, nullptr);
  for (const char* locale : {"C", "C.UTF-8"}) {
    INFO(locale);
    if (!setlocale(LC_ALL, locale)) continue;
    CHECK(DisplayWidth("日本") == 4);
    CHECK(DisplayWidth("مَرْحَبًا") == 5);               // harakat take no column
    CHECK(DisplayWidth("cafe\u0301") == 4);          // combining acute
    CHECK(DisplayWidth("👍🏽") == 2);            // skin tone modifier joins
    CHECK(DisplayWidth("👨‍👩‍👧") == 2);  // ZWJ family
    CHECK(DisplayWidth("🇻🇪") == 2);
    CHECK(DisplayWidth("\u2764\uFE0F") == 2);  // emoji presentation
    CHECK(GraphemeBoundaries(DecodeUtf8("👨‍👩‍👧🇻🇪🇨🇴e\u0301")).size() - 1 ==
          4);
    CHECK(FitToWidth("日本語", 5) == "日本…");
  }
  setlocale(LC_ALL, saved.c_str());
}

// The client's UTF-8 codec (mano/client/utf8.h), shared by the TOML parser and the UI.
#include "mano/client/utf8.h"

#include <catch2/catch.hpp>

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

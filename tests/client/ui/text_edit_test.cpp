#include "mano/client/ui/text_edit.h"

#include <catch2/catch.hpp>

#include "mano/client/utf8.h"
#include "ui_test_support.h"

using namespace mano::client::ui;
using mano::client::DisplayWidth;

TEST_CASE("text edit: typing accents one code point at a time", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t;
  t.Insert("cafe");
  t.Insert("\u0301");  // combining acute joins the 'e'
  CHECK(t.text() == "cafe\u0301");
  CHECK(t.graphemes() == 4);
  CHECK(t.cursor() == 4);
  CHECK(t.CursorColumn() == 4);
  CHECK(t.Backspace());  // removes "é" entirely, not just the accent
  CHECK(t.text() == "caf");
  t.Insert("é");
  CHECK(t.text() == "café");
  CHECK(t.Width() == 4);
}

TEST_CASE("text edit: cursor moves by grapheme over emoji and flags", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t("a👨‍👩‍👧b🇻🇪");
  CHECK(t.graphemes() == 4);
  CHECK(t.cursor() == 4);
  CHECK(t.Width() == 6);
  t.Left();
  CHECK(t.CursorColumn() == 4);
  t.Left();
  t.Left();
  CHECK(t.CursorColumn() == 1);  // between 'a' and the family
  CHECK(t.Delete());             // the whole family goes
  CHECK(t.text() == "ab🇻🇪");
  t.End();
  CHECK(t.Backspace());
  CHECK(t.text() == "ab");
}

TEST_CASE("text edit: Arabic text and harakat", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t;
  for (const char* cp : {"م", "َ", "ر", "ْ", "ح", "َ", "ب", "ا"}) CHECK(t.Insert(cp));
  CHECK(t.text() == "مَرْحَبا");
  CHECK(t.graphemes() == 5);
  CHECK(t.Width() == 5);
  t.Home();
  t.Right();
  CHECK(t.CursorColumn() == 1);
  t.Insert("x");
  CHECK(t.text() == "مَxرْحَبا");
}

TEST_CASE("text edit: limit in code points and control characters", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t("", 5);
  CHECK(t.Insert("héllo"));
  CHECK_FALSE(t.Insert("!"));
  CHECK(t.text() == "héllo");
  TextEdit u;
  CHECK_FALSE(u.Insert("\x1b"));
  CHECK(u.Insert("a\tb\nc"));
  CHECK(u.text() == "abc");
  TextEdit v("abc", 2);  // SetText cuts to the limit
  CHECK(v.text() == "ab");
}

TEST_CASE("text edit: word moves, SetCursor clamps", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t("uno dos tres");
  t.WordLeft();
  CHECK(t.cursor() == 8);
  t.WordLeft();
  CHECK(t.cursor() == 4);
  t.WordRight();
  CHECK(t.cursor() == 8);
  t.SetCursor(99);
  CHECK(t.cursor() == t.graphemes());
}

TEST_CASE("text edit: one-line view scrolls to keep the cursor visible", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t("😀😀😀😀😀😀😀😀😀😀abc");  // 23 columns
  auto v = t.Visible(10);
  CHECK(DisplayWidth(v.text) <= 10);
  CHECK(v.cursor_col <= 9);
  CHECK(v.text.find("abc") != std::string::npos);
  t.Home();
  v = t.Visible(10);
  CHECK(v.cursor_col == 0);
  CHECK(v.text.rfind("😀", 0) == 0);
  CHECK(DisplayWidth(v.text) <= 10);
}

TEST_CASE("text edit: wrapped view", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit t("the quick brown fox jumps");
  auto v = t.Wrapped(10);
  for (const auto& l : v.lines) CHECK(DisplayWidth(l) <= 10);
  CHECK(v.lines.size() >= 3);
  CHECK(v.cursor_row == static_cast<int>(v.lines.size()) - 1);
  t.Home();
  v = t.Wrapped(10);
  CHECK(v.cursor_row == 0);
  CHECK(v.cursor_col == 0);
  TextEdit full("0123456789");
  v = full.Wrapped(10);
  CHECK(v.cursor_row == 1);  // after a full line the cursor goes to the next row
  CHECK(v.cursor_col == 0);
}

TEST_CASE("text edit: line breaks in a multi-line text only", "[ui][text]") {
  test::UseUtf8Locale();
  TextEdit single("uno", 100);
  CHECK_FALSE(single.NewLine());
  CHECK_FALSE(single.Insert("\n"));
  single.SetText("a\nb");
  CHECK(single.text() == "ab");

  TextEdit t("ella llegó", 100, true);
  REQUIRE(t.NewLine());
  REQUIRE(t.Insert("y me dijo"));
  CHECK(t.text() == "ella llegó\ny me dijo");
  auto v = t.Wrapped(20);
  REQUIRE(v.lines.size() == 2);
  CHECK(v.lines[0] == "ella llegó");
  CHECK(v.lines[1] == "y me dijo");
  CHECK(v.cursor_row == 1);
  CHECK(v.cursor_col == 9);
  // The cursor just before the break stays at the end of the first line.
  t.SetCursor(10);
  v = t.Wrapped(20);
  CHECK(v.cursor_row == 0);
  CHECK(v.cursor_col == 10);
  // Just after it: the start of the second line; an empty last line holds the cursor.
  t.SetCursor(11);
  CHECK(t.Wrapped(20).cursor_row == 1);
  CHECK(t.Wrapped(20).cursor_col == 0);
  t.End();
  t.NewLine();
  v = t.Wrapped(20);
  REQUIRE(v.lines.size() == 3);
  CHECK(v.lines[2].empty());
  CHECK(v.cursor_row == 2);
  CHECK(v.cursor_col == 0);
  // A long line wraps on its own, between the breaks.
  TextEdit w("aaa bbb ccc\nd", 100, true);
  v = w.Wrapped(8);
  REQUIRE(v.lines.size() == 3);
  CHECK(v.lines[0] == "aaa bbb ");
  CHECK(v.lines[1] == "ccc");
  CHECK(v.lines[2] == "d");
  CHECK(w.Backspace());
  CHECK(w.Backspace());  // the break goes like any character
  CHECK(w.text() == "aaa bbb ccc");
}

// TextEdit: the editing model behind every text and number field. Holds UTF-8 text as code
// points and a cursor that always sits between user-visible characters (graphemes), so one
// Left/Right/Backspace moves over or removes a whole "é", "لا", or family emoji, and a width
// in terminal columns (mano/client/utf8.h) that lays out exactly as the terminal draws it.
// The text never holds control characters (they are refused on input), except the line
// breaks of a multi-line field (NewLine, or "\n" in pasted or loaded text), and never exceeds
// `max_code_points` (0 = no limit), the limit validate.h applies.
// Pure value type, no terminal; not thread-safe (one owner).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mano::client::ui {

class TextEdit {
 public:
  explicit TextEdit(std::string_view text = {}, size_t max_code_points = 0,
                    bool multi_line = false);

  std::string text() const;  // UTF-8
  size_t code_points() const { return cps_.size(); }
  size_t graphemes() const { return bounds_.size() - 1; }
  size_t cursor() const { return cursor_; }  // grapheme index, 0..graphemes()
  size_t max_code_points() const { return max_; }
  bool empty() const { return cps_.empty(); }
  bool multi_line() const { return multi_line_; }

  // Inserts UTF-8 at the cursor; control characters are dropped. Returns false (and
  // changes nothing) when the result would exceed the limit or nothing printable was given.
  bool Insert(std::string_view utf8);
  // Inserts a line break at the cursor (multi-line only; false otherwise or when full).
  bool NewLine();
  bool Backspace();  // removes the grapheme before the cursor
  bool Delete();     // removes the grapheme after the cursor
  bool Left();
  bool Right();
  bool Home();
  bool End();
  bool WordLeft();
  bool WordRight();
  void SetText(std::string_view utf8);  // cursor to the end
  void SetCursor(size_t grapheme);      // clamped

  // Columns before the cursor, and of the whole text.
  int CursorColumn() const;
  int Width() const;

  // One-line view `width` columns wide, scrolled so the cursor is visible.
  struct LineView {
    std::string text;    // at most `width` columns
    int cursor_col = 0;  // where the cursor sits inside `text`
  };
  LineView Visible(int width) const;

  // Wrapped view: lines of at most `width` columns (cut between graphemes at spaces when
  // possible, and at every line break), and the cursor's row and column.
  struct WrapView {
    std::vector<std::string> lines;
    int cursor_row = 0;
    int cursor_col = 0;
  };
  WrapView Wrapped(int width) const;

 private:
  void Rebuild(size_t cursor_cp);
  bool Keeps(char32_t cp) const;  // printable, or a line break of a multi-line field
  size_t CursorCp() const { return bounds_[cursor_]; }
  int WidthOf(size_t g) const;

  std::u32string cps_;
  std::vector<size_t> bounds_;  // grapheme starts + end
  size_t cursor_ = 0;
  size_t max_ = 0;
  bool multi_line_ = false;
};

}  // namespace mano::client::ui

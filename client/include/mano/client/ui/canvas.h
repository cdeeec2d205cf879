// Canvas: where screens draw. Rows and columns are terminal cells; text is UTF-8 laid out
// with utf8.h widths and clipped at the right edge, so no screen can wrap a line by
// accident. Attributes are only bold / reverse / underline: the UI needs no colour at all
// (TERM=vt100, NO_COLOR, a Linux console).
// CursesCanvas (in the one file that includes curses) draws on the terminal; MemoryCanvas
// keeps the cells in memory so screen tests read back exactly what would be shown.
// Not thread-safe: the UI thread draws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mano::client::ui {

enum Attr : unsigned {
  kAttrNormal = 0,
  kAttrBold = 1,
  kAttrReverse = 2,
  kAttrUnderline = 4,
};

class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual int rows() const = 0;
  virtual int cols() const = 0;
  virtual void Clear() = 0;
  // Draws `text` from (row, col), clipped to the right edge; returns the columns used.
  virtual int Put(int row, int col, std::string_view text, unsigned attrs = kAttrNormal) = 0;
  // Where the terminal cursor should rest (visible only when `visible`).
  virtual void SetCursor(int row, int col, bool visible) = 0;
  // A picture in pixels over the text: sixel or kitty escape sequences (image_view.h) the
  // terminal writes at (row, col) after the text is out; `kitty` tells how it is taken away
  // again (kitty images stay until deleted, sixels until the cells are painted over). One per
  // frame; Clear() removes it.
  virtual void SetGraphic(int /*row*/, int /*col*/, std::string /*bytes*/, bool /*kitty*/) {}

  // Fills the row from `col` with spaces in `attrs` (a bar), then draws `text`.
  void Bar(int row, std::string_view text, unsigned attrs);
};

class MemoryCanvas final : public Canvas {
 public:
  MemoryCanvas(int rows, int cols);
  int rows() const override { return rows_; }
  int cols() const override { return cols_; }
  void Clear() override;
  int Put(int row, int col, std::string_view text, unsigned attrs = kAttrNormal) override;
  void SetCursor(int row, int col, bool visible) override;
  void SetGraphic(int row, int col, std::string bytes, bool kitty) override {
    graphic_row_ = row;
    graphic_col_ = col;
    graphic_ = std::move(bytes);
    (void)kitty;
  }
  const std::string& graphic() const { return graphic_; }  // "" = none this frame
  int graphic_row() const { return graphic_row_; }
  int graphic_col() const { return graphic_col_; }

  // Row `r` as text (trailing spaces removed), and all rows joined with '\n'.
  std::string Row(int r) const;
  std::string Text() const;
  unsigned AttrAt(int row, int col) const { return attrs_[row][col]; }
  int cursor_row() const { return cursor_row_; }
  int cursor_col() const { return cursor_col_; }
  bool cursor_visible() const { return cursor_visible_; }

 private:
  int rows_, cols_;
  std::vector<std::vector<std::string>> cells_;  // "" = right half of a wide character
  std::vector<std::vector<unsigned>> attrs_;
  int cursor_row_ = 0, cursor_col_ = 0;
  bool cursor_visible_ = false;
  std::string graphic_;
  int graphic_row_ = 0, graphic_col_ = 0;
};

}  // namespace mano::client::ui

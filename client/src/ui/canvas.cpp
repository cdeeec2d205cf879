#include "mano/client/ui/canvas.h"

#include "mano/client/terminal_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {

void Canvas::Bar(int row, std::string_view text, unsigned attrs) {
  Put(row, 0, PadToWidth(text, cols()), attrs);
}

MemoryCanvas::MemoryCanvas(int rows, int cols) : rows_(rows), cols_(cols) { Clear(); }

void MemoryCanvas::Clear() {
  cells_.assign(rows_, std::vector<std::string>(cols_, " "));
  attrs_.assign(rows_, std::vector<unsigned>(cols_, kAttrNormal));
  graphic_.clear();
}

int MemoryCanvas::Put(int row, int col, std::string_view text, unsigned attrs) {
  if (row < 0 || row >= rows_ || col < 0 || col >= cols_) return 0;
  std::u32string cps = DecodeUtf8(TerminalSafe(text));
  auto b = GraphemeBoundaries(cps);
  int c = col;
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    std::u32string_view g = std::u32string_view(cps).substr(b[i], b[i + 1] - b[i]);
    int w = GraphemeWidth(g);
    if (c + w > cols_) break;
    cells_[row][c] = EncodeUtf8(g);
    attrs_[row][c] = attrs;
    for (int k = 1; k < w; ++k) {
      cells_[row][c + k] = "";
      attrs_[row][c + k] = attrs;
    }
    c += w;
  }
  return c - col;
}

void MemoryCanvas::SetCursor(int row, int col, bool visible) {
  cursor_row_ = row;
  cursor_col_ = col;
  cursor_visible_ = visible;
}

std::string MemoryCanvas::Row(int r) const {
  std::string out;
  for (const auto& cell : cells_[r]) out += cell;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string MemoryCanvas::Text() const {
  std::string out;
  for (int r = 0; r < rows_; ++r) {
    out += Row(r);
    out += '\n';
  }
  return out;
}

}  // namespace mano::client::ui

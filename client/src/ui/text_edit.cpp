#include "mano/client/ui/text_edit.h"

#include <algorithm>

#include "mano/client/utf8.h"

namespace mano::client::ui {
namespace {

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }

}  // namespace

TextEdit::TextEdit(std::string_view text, size_t max_code_points, bool multi_line)
    : max_(max_code_points), multi_line_(multi_line) {
  SetText(text);
}

bool TextEdit::Keeps(char32_t cp) const { return !IsControl(cp) || (multi_line_ && cp == U'\n'); }

bool TextEdit::NewLine() { return multi_line_ && Insert("\n"); }

std::string TextEdit::text() const { return EncodeUtf8(cps_); }

void TextEdit::Rebuild(size_t cursor_cp) {
  bounds_ = GraphemeBoundaries(cps_);
  // Snap to the first boundary at or after cursor_cp.
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), cursor_cp);
  cursor_ = static_cast<size_t>(it - bounds_.begin());
  if (cursor_ >= bounds_.size()) cursor_ = bounds_.size() - 1;
}

void TextEdit::SetText(std::string_view utf8) {
  std::u32string in = DecodeUtf8(utf8);
  cps_.clear();
  for (char32_t cp : in) {
    if (Keeps(cp)) cps_.push_back(cp);
  }
  if (max_ > 0 && cps_.size() > max_) cps_.resize(max_);
  Rebuild(cps_.size());
}

void TextEdit::SetCursor(size_t grapheme) { cursor_ = std::min(grapheme, graphemes()); }

bool TextEdit::Insert(std::string_view utf8) {
  std::u32string add;
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (Keeps(cp)) add.push_back(cp);
  }
  if (add.empty()) return false;
  if (max_ > 0 && cps_.size() + add.size() > max_) return false;
  size_t at = CursorCp();
  cps_.insert(at, add);
  Rebuild(at + add.size());
  return true;
}

bool TextEdit::Backspace() {
  if (cursor_ == 0) return false;
  size_t from = bounds_[cursor_ - 1], to = bounds_[cursor_];
  cps_.erase(from, to - from);
  Rebuild(from);
  return true;
}

bool TextEdit::Delete() {
  if (cursor_ >= graphemes()) return false;
  size_t from = bounds_[cursor_], to = bounds_[cursor_ + 1];
  cps_.erase(from, to - from);
  Rebuild(from);
  return true;
}

bool TextEdit::Left() {
  if (cursor_ == 0) return false;
  --cursor_;
  return true;
}

bool TextEdit::Right() {
  if (cursor_ >= graphemes()) return false;
  ++cursor_;
  return true;
}

bool TextEdit::Home() {
  bool moved = cursor_ != 0;
  cursor_ = 0;
  return moved;
}

bool TextEdit::End() {
  bool moved = cursor_ != graphemes();
  cursor_ = graphemes();
  return moved;
}

bool TextEdit::WordLeft() {
  size_t start = cursor_;
  while (cursor_ > 0 && cps_[bounds_[cursor_ - 1]] == U' ') --cursor_;
  while (cursor_ > 0 && cps_[bounds_[cursor_ - 1]] != U' ') --cursor_;
  return cursor_ != start;
}

bool TextEdit::WordRight() {
  size_t start = cursor_;
  while (cursor_ < graphemes() && cps_[bounds_[cursor_]] != U' ') ++cursor_;
  while (cursor_ < graphemes() && cps_[bounds_[cursor_]] == U' ') ++cursor_;
  return cursor_ != start;
}

int TextEdit::WidthOf(size_t g) const {
  return GraphemeWidth(std::u32string_view(cps_).substr(bounds_[g], bounds_[g + 1] - bounds_[g]));
}

int TextEdit::CursorColumn() const {
  int w = 0;
  for (size_t g = 0; g < cursor_; ++g) w += WidthOf(g);
  return w;
}

int TextEdit::Width() const {
  int w = 0;
  for (size_t g = 0; g < graphemes(); ++g) w += WidthOf(g);
  return w;
}

TextEdit::LineView TextEdit::Visible(int width) const {
  LineView view;
  if (width <= 0) return view;
  // First grapheme shown: scroll so the cursor (plus one cell for it) fits.
  size_t first = 0;
  int before = CursorColumn();
  while (first < cursor_ && before + 1 > width) {
    before -= WidthOf(first);
    ++first;
  }
  int used = 0;
  std::u32string out;
  for (size_t g = first; g < graphemes(); ++g) {
    int w = WidthOf(g);
    if (used + w > width) break;
    out.append(cps_, bounds_[g], bounds_[g + 1] - bounds_[g]);
    used += w;
  }
  view.text = EncodeUtf8(out);
  view.cursor_col = before;
  return view;
}

TextEdit::WrapView TextEdit::Wrapped(int width) const {
  WrapView view;
  if (width <= 0) return view;
  std::u32string line;
  int line_w = 0;
  size_t line_start = 0;  // grapheme index where `line` starts
  bool cursor_set = false;
  for (size_t g = 0; g < graphemes(); ++g) {
    if (cps_[bounds_[g]] == U'\n') {  // a hard break: the cursor before it stays on this line
      if (!cursor_set && cursor_ >= line_start && cursor_ <= g) {
        view.cursor_row = static_cast<int>(view.lines.size());
        int c = 0;
        for (size_t k = line_start; k < cursor_; ++k) c += WidthOf(k);
        view.cursor_col = c;
        cursor_set = true;
      }
      view.lines.push_back(
          EncodeUtf8(std::u32string(cps_, bounds_[line_start], bounds_[g] - bounds_[line_start])));
      line_start = g + 1;
      line_w = 0;
      continue;
    }
    int w = WidthOf(g);
    if (line_w + w > width) {
      // Break at the last space of the line when there is one.
      size_t cut = g;
      for (size_t k = g; k > line_start; --k) {
        if (cps_[bounds_[k - 1]] == U' ') {
          cut = k;
          break;
        }
      }
      if (cut == line_start) cut = g;
      std::u32string head(cps_, bounds_[line_start], bounds_[cut] - bounds_[line_start]);
      if (!cursor_set && cursor_ >= line_start && cursor_ < cut) {
        view.cursor_row = static_cast<int>(view.lines.size());
        int c = 0;
        for (size_t k = line_start; k < cursor_; ++k) c += WidthOf(k);
        view.cursor_col = c;
        cursor_set = true;
      }
      view.lines.push_back(EncodeUtf8(head));
      line_start = cut;
      line_w = 0;
      for (size_t k = cut; k < g; ++k) line_w += WidthOf(k);
    }
    line_w += w;
  }
  std::u32string tail(cps_, bounds_[line_start], cps_.size() - bounds_[line_start]);
  if (!cursor_set) {
    int c = 0;
    for (size_t k = line_start; k < cursor_; ++k) c += WidthOf(k);
    if (c >= width) {  // cursor after a full last line: next row
      view.lines.push_back(EncodeUtf8(tail));
      view.lines.push_back("");
      view.cursor_row = static_cast<int>(view.lines.size()) - 1;
      view.cursor_col = 0;
      return view;
    }
    view.cursor_row = static_cast<int>(view.lines.size());
    view.cursor_col = c;
  }
  view.lines.push_back(EncodeUtf8(tail));
  return view;
}

}  // namespace mano::client::ui

#include "mano/client/ui/box_editor.h"

#include <algorithm>

namespace mano::client::ui {

BoxEditor::BoxEditor(int64_t width, int64_t height, std::vector<std::string> labels, int cols,
                     int rows)
    : width_(width), height_(height), labels_(std::move(labels)) {
  // Keep cells no smaller than a pixel: a 20 px image gets at most 20 columns.
  cols_ = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(cols, width_)));
  rows_ = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(rows, height_)));
}

int64_t BoxEditor::StepX() const { return std::max<int64_t>(1, width_ / cols_); }
int64_t BoxEditor::StepY() const { return std::max<int64_t>(1, height_ / rows_); }

sync::Box BoxEditor::Clamp(sync::Box b) const {
  b.w = std::clamp<int64_t>(b.w, 1, std::max<int64_t>(1, width_));
  b.h = std::clamp<int64_t>(b.h, 1, std::max<int64_t>(1, height_));
  b.x = std::clamp<int64_t>(b.x, 0, std::max<int64_t>(0, width_ - b.w));
  b.y = std::clamp<int64_t>(b.y, 0, std::max<int64_t>(0, height_ - b.h));
  return b;
}

void BoxEditor::SetBoxes(std::vector<sync::Box> boxes) {
  boxes_.clear();
  for (auto& b : boxes) boxes_.push_back(Clamp(b));
  current_ = boxes_.empty() ? -1 : static_cast<int>(boxes_.size()) - 1;
}

bool BoxEditor::Add() {
  if (width_ <= 0 || height_ <= 0) return false;
  sync::Box b;
  b.w = std::max<int64_t>(1, width_ / 4);
  b.h = std::max<int64_t>(1, height_ / 4);
  b.x = (width_ - b.w) / 2;
  b.y = (height_ - b.h) / 2;
  b.label = labels_.empty() ? std::string() : labels_.front();
  boxes_.push_back(Clamp(b));
  current_ = static_cast<int>(boxes_.size()) - 1;
  mode_ = Mode::kMove;
  return true;
}

bool BoxEditor::RemoveCurrent() {
  if (current_ < 0) return false;
  boxes_.erase(boxes_.begin() + current_);
  if (current_ >= static_cast<int>(boxes_.size())) current_ = static_cast<int>(boxes_.size()) - 1;
  return true;
}

bool BoxEditor::Next() {
  if (boxes_.size() < 2) return false;
  current_ = (current_ + 1) % static_cast<int>(boxes_.size());
  return true;
}

bool BoxEditor::Previous() {
  if (boxes_.size() < 2) return false;
  int n = static_cast<int>(boxes_.size());
  current_ = (current_ + n - 1) % n;
  return true;
}

void BoxEditor::ToggleMode() { mode_ = mode_ == Mode::kMove ? Mode::kResize : Mode::kMove; }

bool BoxEditor::Step(int dx, int dy) {
  if (current_ < 0) return false;
  sync::Box before = boxes_[current_];
  sync::Box b = before;
  if (mode_ == Mode::kMove) {
    b.x += dx * StepX();
    b.y += dy * StepY();
  } else {
    b.w += dx * StepX();
    b.h += dy * StepY();
    // Growing stops at the image's edge instead of pushing the box back.
    b.w = std::min(b.w, width_ - b.x);
    b.h = std::min(b.h, height_ - b.y);
  }
  boxes_[current_] = Clamp(b);
  return !(boxes_[current_] == before);
}

bool BoxEditor::CycleLabel() {
  if (current_ < 0 || labels_.empty()) return false;
  auto& label = boxes_[current_].label;
  auto it = std::find(labels_.begin(), labels_.end(), label);
  if (it == labels_.end() || ++it == labels_.end()) it = labels_.begin();
  bool changed = label != *it;
  label = *it;
  return changed;
}

std::vector<std::string> BoxEditor::Preview() const {
  std::vector<std::string> grid(static_cast<size_t>(rows_), std::string(cols_, '.'));
  if (width_ <= 0 || height_ <= 0) return grid;
  auto col_of = [&](int64_t px) {
    return static_cast<int>(std::clamp<int64_t>(px * cols_ / width_, 0, cols_ - 1));
  };
  auto row_of = [&](int64_t py) {
    return static_cast<int>(std::clamp<int64_t>(py * rows_ / height_, 0, rows_ - 1));
  };
  auto draw = [&](const sync::Box& b, bool current) {
    int c0 = col_of(b.x), c1 = col_of(b.x + b.w - 1);
    int r0 = row_of(b.y), r1 = row_of(b.y + b.h - 1);
    char edge = b.label.empty() ? '#' : b.label[0];
    for (int c = c0; c <= c1; ++c) grid[r0][c] = grid[r1][c] = edge;
    for (int r = r0; r <= r1; ++r) grid[r][c0] = grid[r][c1] = edge;
    if (current) grid[r0][c0] = grid[r0][c1] = grid[r1][c0] = grid[r1][c1] = '*';
  };
  for (int i = 0; i < static_cast<int>(boxes_.size()); ++i) {
    if (i != current_) draw(boxes_[i], false);
  }
  if (current_ >= 0) draw(boxes_[current_], true);
  return grid;
}

std::string BoxEditor::Describe() const {
  if (current_ < 0) return {};
  const auto& b = boxes_[current_];
  return std::to_string(current_ + 1) + "/" + std::to_string(boxes_.size()) + " " +
         (b.label.empty() ? "-" : b.label) + " x=" + std::to_string(b.x) +
         " y=" + std::to_string(b.y) + " w=" + std::to_string(b.w) + " h=" + std::to_string(b.h);
}

}  // namespace mano::client::ui

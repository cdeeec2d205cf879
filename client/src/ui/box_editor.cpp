#include "mano/client/ui/box_editor.h"

#include <algorithm>

#include "ring_step.h"

namespace mano::client::ui {

BoxEditor::BoxEditor(int64_t width, int64_t height, std::vector<std::string> labels, int cols,
                     int rows)
    : width_(width), height_(height), labels_(std::move(labels)) {
  // Keep cells no smaller than a pixel: a 20 px image gets at most 20 columns.
  cols_ = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(cols, width_)));
  rows_ = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(rows, height_)));
  grid_cols_ = cols_;
  grid_rows_ = rows_;
}

void BoxEditor::SetPicture(Picture picture) {
  picture_ = std::move(picture);
  cols_ = picture_.cells.empty() ? grid_cols_ : picture_.cols;
  rows_ = picture_.cells.empty() ? grid_rows_ : picture_.rows;
}

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

bool BoxEditor::Next() { return internal::RingStep(current_, boxes_.size(), 1); }

bool BoxEditor::Previous() { return internal::RingStep(current_, boxes_.size(), -1); }

void BoxEditor::CycleMode() {
  switch (mode_) {
    case Mode::kMove:
      mode_ = Mode::kResizeEnd;
      break;
    case Mode::kResizeEnd:
      mode_ = Mode::kResizeStart;
      break;
    case Mode::kResizeStart:
      mode_ = Mode::kMove;
      break;
  }
}

bool BoxEditor::Step(int dx, int dy, int64_t pixels) {
  if (current_ < 0 || pixels <= 0) return false;
  pixels = std::min(pixels, kMaxCount);
  sync::Box before = boxes_[current_];
  sync::Box b = before;
  int64_t mx = dx * pixels, my = dy * pixels;
  switch (mode_) {
    case Mode::kMove:
      b.x = std::clamp<int64_t>(b.x + mx, 0, width_ - b.w);
      b.y = std::clamp<int64_t>(b.y + my, 0, height_ - b.h);
      break;
    case Mode::kResizeEnd:
      // The right and bottom edges move; the left and top ones stay.
      b.w = std::clamp<int64_t>(b.w + mx, 1, width_ - b.x);
      b.h = std::clamp<int64_t>(b.h + my, 1, height_ - b.y);
      break;
    case Mode::kResizeStart: {
      int64_t right = b.x + b.w, bottom = b.y + b.h;
      b.x = std::clamp<int64_t>(b.x + mx, 0, right - 1);
      b.y = std::clamp<int64_t>(b.y + my, 0, bottom - 1);
      b.w = right - b.x;
      b.h = bottom - b.y;
      break;
    }
  }
  boxes_[current_] = Clamp(b);
  return !(boxes_[current_] == before);
}

void BoxEditor::AddCountDigit(int digit) {
  if (digit < 0 || digit > 9) return;
  count_ = std::min(kMaxCount, count_ * 10 + digit);
}

int64_t BoxEditor::TakeCount() {
  int64_t pixels = StepPixels();
  count_ = 0;
  return pixels;
}

void BoxEditor::BeginEntry() {
  entering_ = true;
  entry_.clear();
  problem_ = EntryProblem::kNone;
  count_ = 0;
}

bool BoxEditor::AppendEntry(char32_t c) {
  if (!((c >= U'0' && c <= U'9') || c == U' ' || c == U',')) return false;
  if (entry_.size() >= 64) return false;
  entry_ += static_cast<char>(c);
  problem_ = EntryProblem::kNone;
  return true;
}

bool BoxEditor::EraseEntry() {
  if (entry_.empty()) return false;
  entry_.pop_back();
  problem_ = EntryProblem::kNone;
  return true;
}

void BoxEditor::CancelEntry() {
  entering_ = false;
  entry_.clear();
  problem_ = EntryProblem::kNone;
}

std::optional<std::array<int64_t, 4>> BoxEditor::ParseCoordinates(std::string_view text) {
  std::array<int64_t, 4> v{};
  size_t n = 0, i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == ',') {
      ++i;
      continue;
    }
    if (text[i] < '0' || text[i] > '9' || n == v.size()) return std::nullopt;
    int64_t value = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (value > kMaxCount) return std::nullopt;  // far outside any image: no overflow
      value = value * 10 + (text[i] - '0');
    }
    v[n++] = value;
  }
  if (n != v.size()) return std::nullopt;
  return v;
}

BoxEditor::EntryProblem BoxEditor::FinishEntry() {
  auto v = ParseCoordinates(entry_);
  if (!v) return problem_ = EntryProblem::kNotFourNumbers;
  auto [x, y, w, h] = *v;
  if (w < 1 || h < 1 || x + w > width_ || y + h > height_) return problem_ = EntryProblem::kOutside;
  if (current_ < 0 && !Add()) return problem_ = EntryProblem::kOutside;
  sync::Box& b = boxes_[current_];
  b.x = x;
  b.y = y;
  b.w = w;
  b.h = h;
  CancelEntry();
  return EntryProblem::kNone;
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
  std::vector<std::vector<std::string>> grid =
      has_picture() ? picture_.cells
                    : std::vector<std::vector<std::string>>(static_cast<size_t>(rows_),
                                                            std::vector<std::string>(cols_, "."));
  if (width_ > 0 && height_ > 0) {
    auto col_of = [&](int64_t px) {
      return static_cast<int>(std::clamp<int64_t>(px * cols_ / width_, 0, cols_ - 1));
    };
    auto row_of = [&](int64_t py) {
      return static_cast<int>(std::clamp<int64_t>(py * rows_ / height_, 0, rows_ - 1));
    };
    auto draw = [&](const sync::Box& b, bool current) {
      int c0 = col_of(b.x), c1 = col_of(b.x + b.w - 1);
      int r0 = row_of(b.y), r1 = row_of(b.y + b.h - 1);
      std::string edge(1, b.label.empty() ? '#' : b.label[0]);
      for (int c = c0; c <= c1; ++c) grid[r0][c] = grid[r1][c] = edge;
      for (int r = r0; r <= r1; ++r) grid[r][c0] = grid[r][c1] = edge;
      if (current) grid[r0][c0] = grid[r0][c1] = grid[r1][c0] = grid[r1][c1] = "*";
    };
    for (int i = 0; i < static_cast<int>(boxes_.size()); ++i) {
      if (i != current_) draw(boxes_[i], false);
    }
    if (current_ >= 0) draw(boxes_[current_], true);
  }
  std::vector<std::string> out;
  for (const auto& row : grid) {
    std::string line;
    for (const auto& cell : row) line += cell;
    out.push_back(std::move(line));
  }
  return out;
}

void BoxEditor::DrawInto(Image& image) const {
  if (width_ <= 0 || height_ <= 0 || image.width <= 0 || image.height <= 0 ||
      image.rgba.size() != static_cast<size_t>(image.width * image.height * 4)) {
    return;
  }
  auto put = [&](int64_t x, int64_t y, const uint8_t(&rgb)[3]) {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
    uint8_t* p = &image.rgba[static_cast<size_t>((y * image.width + x) * 4)];
    p[0] = rgb[0];
    p[1] = rgb[1];
    p[2] = rgb[2];
    p[3] = 255;
  };
  auto draw = [&](const sync::Box& b, bool current) {
    static const uint8_t kRed[3] = {230, 40, 40}, kYellow[3] = {255, 220, 0};
    const auto& rgb = current ? kYellow : kRed;
    int64_t x0 = b.x * image.width / width_, x1 = (b.x + b.w) * image.width / width_ - 1;
    int64_t y0 = b.y * image.height / height_, y1 = (b.y + b.h) * image.height / height_ - 1;
    x1 = std::max(x0, x1);
    y1 = std::max(y0, y1);
    for (int64_t x = x0; x <= x1; ++x) {
      put(x, y0, rgb);
      put(x, y1, rgb);
    }
    for (int64_t y = y0; y <= y1; ++y) {
      put(x0, y, rgb);
      put(x1, y, rgb);
    }
  };
  for (int i = 0; i < static_cast<int>(boxes_.size()); ++i) {
    if (i != current_) draw(boxes_[i], false);
  }
  if (current_ >= 0) draw(boxes_[current_], true);
}

std::string BoxEditor::Describe() const {
  if (current_ < 0) return {};
  const auto& b = boxes_[current_];
  return std::to_string(current_ + 1) + "/" + std::to_string(boxes_.size()) + " " +
         (b.label.empty() ? "-" : b.label) + " x=" + std::to_string(b.x) +
         " y=" + std::to_string(b.y) + " w=" + std::to_string(b.w) + " h=" + std::to_string(b.h);
}

}  // namespace mano::client::ui

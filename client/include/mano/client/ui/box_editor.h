// BoxEditor: the keyboard-driven bounding-box editor's model. The image (width x height
// pixels) is shown as a coarse grid of `cols` x `rows` text cells; boxes are kept in pixels
// (what the answer carries) and moved or resized one grid cell per key, always clamped inside
// the image, so every box it produces passes validate.h's bounds check.
// Pure value type, no terminal; not thread-safe (one owner).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mano/sync/answer.h"

namespace mano::client::ui {

class BoxEditor {
 public:
  enum class Mode { kMove, kResize };

  BoxEditor() = default;
  BoxEditor(int64_t width, int64_t height, std::vector<std::string> labels, int cols = 40,
            int rows = 12);

  const std::vector<sync::Box>& boxes() const { return boxes_; }
  void SetBoxes(std::vector<sync::Box> boxes);  // clamped into the image
  int current() const { return current_; }      // -1 when there are no boxes
  Mode mode() const { return mode_; }
  int cols() const { return cols_; }
  int rows() const { return rows_; }
  int64_t width() const { return width_; }
  int64_t height() const { return height_; }

  // Adds a box of about a quarter of the image in the middle, with the first label; it
  // becomes current. Returns false when the image has no size.
  bool Add();
  bool RemoveCurrent();
  bool Next();  // cycles through boxes
  bool Previous();
  void ToggleMode();
  // Moves (kMove) or grows/shrinks the right/bottom edge (kResize) by one grid cell.
  bool Step(int dx, int dy);
  bool CycleLabel();  // next allowed label (any text allowed when none are given)

  // Pixels per grid cell (at least 1).
  int64_t StepX() const;
  int64_t StepY() const;

  // The preview: `rows` strings of `cols` ASCII cells. '.' is the image, box edges are
  // drawn with the first letter of the box's label (or '#'), the current box with '*'
  // corners so it stands out without colour.
  std::vector<std::string> Preview() const;
  // "2/3 car x=16 y=12 w=16 h=12" for the current box, "" when none.
  std::string Describe() const;

 private:
  sync::Box Clamp(sync::Box b) const;

  int64_t width_ = 0, height_ = 0;
  std::vector<std::string> labels_;
  int cols_ = 40, rows_ = 12;
  std::vector<sync::Box> boxes_;
  int current_ = -1;
  Mode mode_ = Mode::kMove;
};

}  // namespace mano::client::ui

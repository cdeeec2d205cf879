// BoxEditor: the keyboard-driven bounding-box editor's model, in the image's own pixels.
// Boxes are kept in integer image pixels (what the answer carries). An arrow key moves the
// box, or one pair of its edges, by exactly one pixel on either axis; a repeat count typed
// first (digits) or Shift makes larger steps, and the step that the next arrow takes is
// shown. Coordinates can also be typed whole ("x y w h"). Every box stays inside the image,
// so every box it produces passes validate.h's bounds check, and every pixel coordinate is
// reachable from the keyboard. The preview is a coarse grid of `cols` x `rows` text cells.
// Pure value type, no terminal; not thread-safe (one owner).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/client/ui/image_view.h"
#include "mano/sync/answer.h"

namespace mano::client::ui {

class BoxEditor {
 public:
  // What the arrow keys change: the whole box, its right and bottom edges, or its left and
  // top edges. New boxes start in kMove.
  enum class Mode { kMove, kResizeEnd, kResizeStart };
  // Why typed coordinates were refused (the UI makes the sentence).
  enum class EntryProblem { kNone, kNotFourNumbers, kOutside };

  static constexpr int64_t kMaxCount = 100000;
  static constexpr int64_t kShiftStep = 10;

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

  // Adds a box of about a quarter of the image in the middle, with the first label, in
  // kMove mode; it becomes current. Returns false when the image has no size.
  bool Add();
  bool RemoveCurrent();
  bool Next();  // cycles through boxes
  bool Previous();
  void CycleMode();  // move -> right/bottom edges -> left/top edges -> move
  // Moves (kMove) or moves the mode's edges by `pixels` pixels times (dx, dy), stopping at
  // the image's edge and never making the box smaller than 1x1. Returns whether it changed.
  bool Step(int dx, int dy, int64_t pixels = 1);
  bool CycleLabel();  // next allowed label (any text allowed when none are given)

  // The repeat count typed before an arrow ("25" then Down moves 25 px).
  void AddCountDigit(int digit);
  int64_t count() const { return count_; }  // 0 when none was typed
  // The pixels the next arrow moves (the count, or 1), and takes the count.
  int64_t StepPixels() const { return count_ > 0 ? count_ : 1; }
  int64_t TakeCount();
  void ClearCount() { count_ = 0; }

  // Typed coordinates: BeginEntry opens the line, the UI appends what is typed (digits,
  // spaces, commas), FinishEntry sets the current box (a new one when there is none) to
  // exactly "x y w h" or says why not and keeps the line open.
  void BeginEntry();
  bool entering() const { return entering_; }
  const std::string& entry() const { return entry_; }
  bool AppendEntry(char32_t c);  // false (nothing added) for other characters
  bool EraseEntry();
  void CancelEntry();
  EntryProblem FinishEntry();
  EntryProblem problem() const { return problem_; }
  // "x y w h" (spaces or commas between) as four integers; nullopt otherwise.
  static std::optional<std::array<int64_t, 4>> ParseCoordinates(std::string_view text);

  // The image drawn as text (image_view.h); the preview grid takes its size. An empty
  // picture goes back to dots.
  void SetPicture(Picture picture);
  bool has_picture() const { return !picture_.cells.empty(); }
  // The preview: `rows` strings of `cols` cells. The picture (or '.') is the image, box
  // edges are drawn over it with the first letter of the box's label (or '#'), the current
  // box with '*' corners so it stands out without colour.
  std::vector<std::string> Preview() const;
  // The boxes drawn into `image` (the task's image, maybe scaled down: coordinates are scaled
  // by its size over width() x height()), for pictures in pixels: red edges, the current box's
  // yellow.
  void DrawInto(Image& image) const;
  // "2/3 car x=16 y=12 w=16 h=12" for the current box, "" when none.
  std::string Describe() const;

 private:
  sync::Box Clamp(sync::Box b) const;

  int64_t width_ = 0, height_ = 0;
  std::vector<std::string> labels_;
  int cols_ = 40, rows_ = 12;
  int grid_cols_ = 40, grid_rows_ = 12;  // the dots' grid, when there is no picture
  Picture picture_;
  std::vector<sync::Box> boxes_;
  int current_ = -1;
  Mode mode_ = Mode::kMove;
  int64_t count_ = 0;
  bool entering_ = false;
  std::string entry_;
  EntryProblem problem_ = EntryProblem::kNone;
};

}  // namespace mano::client::ui

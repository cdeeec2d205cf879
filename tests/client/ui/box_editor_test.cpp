#include "mano/client/ui/box_editor.h"

#include <catch2/catch.hpp>

#include "mano/client/ui/form_model.h"
#include "mano/sync/presets.h"

using namespace mano::client::ui;

// Issue 16: Up/Down moved by the preview's cell height (3-4 px on a 48 px image), so y=24
// could not be reached from the default start (y=18). Every step is one image pixel now.
TEST_CASE("boxes: an arrow moves exactly one pixel on both axes; y=24 from the default start",
          "[ui][boxes]") {
  BoxEditor b(64, 48, {"car", "person", "bicycle"}, 40, 10);
  REQUIRE(b.Add());
  CHECK(b.mode() == BoxEditor::Mode::kMove);
  CHECK(b.boxes()[0] == mano::sync::Box{24, 18, 16, 12, "car"});
  for (int i = 0; i < 6; ++i) CHECK(b.Step(0, 1));
  CHECK(b.boxes()[0] == mano::sync::Box{24, 24, 16, 12, "car"});
  CHECK(b.Step(1, 0));
  CHECK(b.boxes()[0].x == 25);
  CHECK(b.Step(0, -1, 10));
  CHECK(b.boxes()[0].y == 14);
  CHECK(b.Step(1, 1, 1000));  // stops at the image's edge
  CHECK(b.boxes()[0] == mano::sync::Box{48, 36, 16, 12, "car"});
  CHECK_FALSE(b.Step(1, 0));
  CHECK(b.CycleLabel());
  CHECK(b.boxes()[0].label == "person");
}

// Walks every edge of the box over every pixel it can take, one key at a time: each key
// changes exactly one coordinate by exactly one pixel, and the ends are the image's edges.
TEST_CASE("boxes: every pixel coordinate of every edge is reachable with single steps",
          "[ui][boxes]") {
  const int64_t W = 64, H = 48;
  BoxEditor b(W, H, {"car"}, 40, 10);
  REQUIRE(b.Add());
  auto box = [&] { return b.boxes()[0]; };
  // Move: the left edge through every x, the top edge through every y.
  for (int64_t x = box().x; x > 0; --x) {
    REQUIRE(b.Step(-1, 0));
    REQUIRE(box().x == x - 1);
  }
  for (int64_t x = 0; x + box().w < W; ++x) {
    REQUIRE(b.Step(1, 0));
    REQUIRE(box().x == x + 1);
  }
  CHECK(box().x + box().w == W);
  for (int64_t y = box().y; y > 0; --y) {
    REQUIRE(b.Step(0, -1));
    REQUIRE(box().y == y - 1);
  }
  for (int64_t y = 0; y + box().h < H; ++y) {
    REQUIRE(b.Step(0, 1));
    REQUIRE(box().y == y + 1);
  }
  CHECK(box().y + box().h == H);
  // The left and top edges: out to 0 and in to a 1-pixel box, each pixel on the way.
  b.CycleMode();
  b.CycleMode();
  REQUIRE(b.mode() == BoxEditor::Mode::kResizeStart);
  const int64_t right = box().x + box().w, bottom = box().y + box().h;
  for (int64_t x = box().x; x > 0; --x) {
    REQUIRE(b.Step(-1, 0));
    REQUIRE(box().x == x - 1);
    REQUIRE(box().x + box().w == right);
  }
  for (int64_t x = 0; x < right - 1; ++x) {
    REQUIRE(b.Step(1, 0));
    REQUIRE(box().x == x + 1);
    REQUIRE(box().x + box().w == right);
  }
  CHECK(box().w == 1);
  CHECK_FALSE(b.Step(1, 0));  // never narrower than one pixel
  for (int64_t y = box().y; y > 0; --y) {
    REQUIRE(b.Step(0, -1));
    REQUIRE(box().y == y - 1);
    REQUIRE(box().y + box().h == bottom);
  }
  for (int64_t y = 0; y < bottom - 1; ++y) {
    REQUIRE(b.Step(0, 1));
    REQUIRE(box().y == y + 1);
  }
  CHECK(box().h == 1);
  // Move the 1x1 box to the top-left corner, then the right and bottom edges through every
  // pixel up to the whole image.
  b.CycleMode();
  b.Step(-1, -1, W + H);
  CHECK(box() == mano::sync::Box{0, 0, 1, 1, "car"});
  b.CycleMode();
  REQUIRE(b.mode() == BoxEditor::Mode::kResizeEnd);
  for (int64_t w = 1; w < W; ++w) {
    REQUIRE(b.Step(1, 0));
    REQUIRE(box().w == w + 1);
  }
  for (int64_t h = 1; h < H; ++h) {
    REQUIRE(b.Step(0, 1));
    REQUIRE(box().h == h + 1);
  }
  CHECK(box() == mano::sync::Box{0, 0, W, H, "car"});
  CHECK_FALSE(b.Step(1, 1));
  for (int64_t w = W; w > 1; --w) {
    REQUIRE(b.Step(-1, 0));
    REQUIRE(box().w == w - 1);
  }
  CHECK_FALSE(b.Step(-1, 0));
}

TEST_CASE("boxes: a typed count is the next arrow's step; typed coordinates are exact",
          "[ui][boxes]") {
  BoxEditor b(64, 48, {"car"}, 40, 10);
  b.AddCountDigit(2);
  b.AddCountDigit(5);
  CHECK(b.count() == 25);
  CHECK(b.StepPixels() == 25);
  CHECK(b.TakeCount() == 25);
  CHECK(b.StepPixels() == 1);
  for (int i = 0; i < 12; ++i) b.AddCountDigit(9);
  CHECK(b.count() == BoxEditor::kMaxCount);

  // No box yet: the typed coordinates make one.
  b.BeginEntry();
  for (char32_t c : std::u32string(U"24 24,16 12x")) b.AppendEntry(c);  // the x is refused
  CHECK(b.entry() == "24 24,16 12");
  CHECK(b.FinishEntry() == BoxEditor::EntryProblem::kNone);
  CHECK_FALSE(b.entering());
  CHECK(b.boxes().at(0) == mano::sync::Box{24, 24, 16, 12, "car"});

  b.BeginEntry();
  for (char32_t c : std::u32string(U"50 40 16 12")) b.AppendEntry(c);
  CHECK(b.FinishEntry() == BoxEditor::EntryProblem::kOutside);
  CHECK(b.entering());  // kept open to fix
  CHECK(b.boxes().at(0) == mano::sync::Box{24, 24, 16, 12, "car"});
  b.CancelEntry();
  b.BeginEntry();
  for (char32_t c : std::u32string(U"1 2 3")) b.AppendEntry(c);
  CHECK(b.FinishEntry() == BoxEditor::EntryProblem::kNotFourNumbers);
  b.EraseEntry();
  b.AppendEntry(U'3');
  CHECK(b.FinishEntry() == BoxEditor::EntryProblem::kNotFourNumbers);
  for (char32_t c : std::u32string(U" 4")) b.AppendEntry(c);
  CHECK(b.FinishEntry() == BoxEditor::EntryProblem::kNone);
  CHECK(b.boxes().at(0) == mano::sync::Box{1, 2, 3, 4, "car"});
  CHECK(b.FinishEntry() == BoxEditor::EntryProblem::kNotFourNumbers);  // closed: empty line

  CHECK_FALSE(BoxEditor::ParseCoordinates("1 2 3 4 5"));
  CHECK_FALSE(BoxEditor::ParseCoordinates("99999999999999999999 0 1 1"));
  CHECK_FALSE(BoxEditor::ParseCoordinates("-1 0 1 1"));
  CHECK(BoxEditor::ParseCoordinates(" 0,0 , 64 48 ") == std::array<int64_t, 4>{0, 0, 64, 48});
}

TEST_CASE("boxes: preview marks the current box and Describe shows coordinates", "[ui][boxes]") {
  BoxEditor b(64, 48, {"car"}, 32, 12);
  b.Add();
  auto grid = b.Preview();
  REQUIRE(grid.size() == 12);
  CHECK(grid[0].size() == 32);
  CHECK(grid[4][12] == '*');  // top-left corner of a box at (24,18): col 12, row 4
  CHECK(grid[4][13] == 'c');
  CHECK(b.Describe() == "1/1 car x=24 y=18 w=16 h=12");
  b.Add();
  b.Previous();
  CHECK(b.current() == 0);
  CHECK(b.RemoveCurrent());
  CHECK(b.boxes().size() == 1);
}

TEST_CASE("boxes: the form's box field answers validly with keys", "[ui][boxes]") {
  FormModel m(mano::sync::PresetForm("bounding_boxes"));
  m.HandleKey(Key::Char(U'n'));
  m.HandleKey(Key::Named(KeyCode::kLeft));
  m.HandleKey(Key::Char(U'l'));
  m.HandleKey(Key::Char(U'n'));
  m.HandleKey(Key::Char(U'm'));
  m.HandleKey(Key::Named(KeyCode::kDown));
  m.HandleKey(Key::Char(U'1'));
  m.HandleKey(Key::Char(U'0'));
  m.HandleKey(Key::Named(KeyCode::kDown));     // 10 px
  m.HandleKey(Key::Shifted(KeyCode::kRight));  // 10 px
  auto boxes = std::get<std::vector<mano::sync::Box>>(*m.ToAnswer().Get("boxes"));
  REQUIRE(boxes.size() == 2);
  CHECK(boxes[0].label == "person");
  CHECK(boxes[0] == mano::sync::Box{23, 18, 16, 12, "person"});
  CHECK(boxes[1] == mano::sync::Box{24, 18, 26, 23, "car"});
  // "=" takes typed coordinates; Enter and Escape belong to that line meanwhile.
  m.HandleKey(Key::Char(U'='));
  CHECK(m.FocusCapturesKeys());
  for (char32_t c : std::u32string(U"0 24 64 24")) m.HandleKey(Key::Char(c));
  CHECK(m.HandleKey(Key::Named(KeyCode::kEnter)).changed);
  CHECK_FALSE(m.FocusCapturesKeys());
  boxes = std::get<std::vector<mano::sync::Box>>(*m.ToAnswer().Get("boxes"));
  CHECK(boxes[1] == mano::sync::Box{0, 24, 64, 24, "car"});
  CHECK(m.Validate().empty());
  std::string pos = m.Position();
  FormModel back(mano::sync::PresetForm("bounding_boxes"));
  back.Load(m.ToAnswer());
  back.RestorePosition(pos);
  CHECK(back.focused()->boxes.current() == 1);
}

#include "mano/client/ui/box_editor.h"

#include <catch2/catch.hpp>

#include "mano/client/ui/form_model.h"
#include "mano/sync/presets.h"

using namespace mano::client::ui;

TEST_CASE("boxes: add, move and resize by grid cells, clamped inside the image", "[ui][boxes]") {
  BoxEditor b(64, 48, {"car", "person", "bicycle"}, 32, 12);
  CHECK(b.StepX() == 2);
  CHECK(b.StepY() == 4);
  REQUIRE(b.Add());
  CHECK(b.boxes()[0] == mano::sync::Box{24, 18, 16, 12, "car"});
  CHECK(b.Step(1, 0));
  CHECK(b.boxes()[0].x == 26);
  for (int i = 0; i < 100; ++i) b.Step(1, 1);
  CHECK(b.boxes()[0].x + b.boxes()[0].w == 64);
  CHECK(b.boxes()[0].y + b.boxes()[0].h == 48);
  CHECK_FALSE(b.Step(1, 0));  // at the edge: nothing changes
  b.ToggleMode();
  b.Step(-1, -1);
  CHECK(b.boxes()[0].w == 14);
  CHECK(b.boxes()[0].h == 8);
  for (int i = 0; i < 100; ++i) b.Step(-1, -1);
  CHECK(b.boxes()[0].w >= 1);
  CHECK(b.boxes()[0].h >= 1);
  CHECK(b.CycleLabel());
  CHECK(b.boxes()[0].label == "person");
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
  auto boxes = std::get<std::vector<mano::sync::Box>>(*m.ToAnswer().Get("boxes"));
  REQUIRE(boxes.size() == 2);
  CHECK(boxes[0].label == "person");
  CHECK(boxes[1].h > boxes[0].h);
  CHECK(m.Validate().empty());
  std::string pos = m.Position();
  FormModel back(mano::sync::PresetForm("bounding_boxes"));
  back.Load(m.ToAnswer());
  back.RestorePosition(pos);
  CHECK(back.focused()->boxes.current() == 1);
}

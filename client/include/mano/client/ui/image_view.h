// RenderPicture: an image drawn as terminal text with chafa (Debian's libchafa-dev). Only
// Unicode block symbols that a Linux console font has (space, full, half blocks and the
// three shades) in chafa's FGBG mode: the shape carries the picture and no colour escape is
// written, so the same cells show on TERM=linux, vt100, NO_COLOR and xterm-256color, and
// screen tests read them back from the canvas. The picture keeps the image's proportions
// (cells twice as tall as wide) inside max_cols x max_rows.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "mano/client/ui/image_loader.h"

namespace mano::client::ui {

struct Picture {
  int cols = 0, rows = 0;
  std::vector<std::vector<std::string>> cells;  // rows x cols, one UTF-8 symbol each
};

Picture RenderPicture(const Image& image, int max_cols, int max_rows);

}  // namespace mano::client::ui

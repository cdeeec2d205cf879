// RenderPicture: an image drawn as terminal text with chafa (Debian's libchafa-dev). Only
// Unicode block symbols that a Linux console font has (space, full, half blocks and the
// three shades) in chafa's FGBG mode: the shape carries the picture and no colour escape is
// written, so the same cells show on TERM=linux, vt100, NO_COLOR and xterm-256color, and
// screen tests read them back from the canvas. The picture keeps the image's proportions
// (cells twice as tall as wide) inside max_cols x max_rows.
// Where the terminal draws pixels (sixel or the kitty graphics protocol, as chafa's terminal
// database tells from the environment, or as the config's `pictures` forces), RenderPixels
// gives the escape sequences of the same picture; the terminal writes them over the symbols
// after each refresh (terminal.h). Symbols stay the default on TERM=linux, with NO_COLOR and
// on terminals chafa does not know.
// Pure functions (ChoosePixelMode reads only what it is given); thread-safe.
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

enum class PixelMode { kSymbols, kSixel, kKitty };

// `setting` is the config's `pictures`: "symbols", "sixel" or "kitty" force that mode;
// "auto" or "" decide from `envp` (NAME=VALUE strings, null-terminated): symbols with
// NO_COLOR or TERM=linux, else kitty or sixel when chafa's terminal database finds the
// terminal draws them, else symbols.
PixelMode ChoosePixelMode(const std::string& setting, char** envp);

// The escape sequences that draw `image` over cols x rows cells of cell_w x cell_h pixels
// with `mode` (sixel or kitty; "" for symbols or an empty image).
std::string RenderPixels(const Image& image, int cols, int rows, PixelMode mode, int cell_w,
                         int cell_h);

// A copy scaled down (nearest pixel) to fit max_w x max_h, never up: what a picture of a few
// hundred pixels on screen needs of a large photo.
Image ScaleDown(const Image& image, int64_t max_w, int64_t max_h);

// The size of one terminal cell in pixels (TIOCGWINSZ on `fd`), else 10 x 20.
void CellPixels(int fd, int& cell_w, int& cell_h);

}  // namespace mano::client::ui
